namespace OrchUpgradePrep.Ports;

/// <summary>
/// Read-only view of one host's HKLM registry (64-bit view). Paths are relative to HKLM,
/// e.g. <c>SOFTWARE\Microsoft\Windows NT\CurrentVersion</c>, compared case-insensitively.
/// </summary>
public interface IRegistry
{
    /// <summary>Reads one key. Never throws for an absent key: that is <see cref="RegistryKeyPresence.Absent"/>.
    /// Throws <see cref="HostFactsException"/> when the key cannot be read (access denied, unreachable).</summary>
    ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken);
}

public enum RegistryKeyPresence
{
    Present,
    Absent,

    /// <summary>The source cannot say (a snapshot that did not export that subtree). Never read as "absent".</summary>
    Unknown,
}

public enum RegistryValueType
{
    None,
    String,
    ExpandString,
    Binary,
    DWord,
    MultiString,
    QWord,
    Other,
}

/// <summary>One value. <see cref="Data"/> is string (String, ExpandString), string[] (MultiString),
/// uint (DWord), ulong (QWord) or byte[] (Binary, None, Other).</summary>
public sealed record RegistryValue(string Name, RegistryValueType Type, object Data)
{
    /// <summary>How the value reads to a person, for evidence: <c>REG_DWORD 0x00000001 (1)</c>.</summary>
    public string Describe() => Type switch
    {
        RegistryValueType.String => $"REG_SZ \"{Data}\"",
        RegistryValueType.ExpandString => $"REG_EXPAND_SZ \"{Data}\"",
        RegistryValueType.MultiString => "REG_MULTI_SZ [" + string.Join(", ", ((string[])Data).Select(s => $"\"{s}\"")) + "]",
        RegistryValueType.DWord => $"REG_DWORD 0x{(uint)Data:x8} ({(uint)Data})",
        RegistryValueType.QWord => $"REG_QWORD 0x{(ulong)Data:x16} ({(ulong)Data})",
        _ => $"{TypeName} {Convert.ToHexString((byte[])Data)}",
    };

    public string TypeName => Type switch
    {
        RegistryValueType.None => "REG_NONE",
        RegistryValueType.String => "REG_SZ",
        RegistryValueType.ExpandString => "REG_EXPAND_SZ",
        RegistryValueType.Binary => "REG_BINARY",
        RegistryValueType.DWord => "REG_DWORD",
        RegistryValueType.MultiString => "REG_MULTI_SZ",
        RegistryValueType.QWord => "REG_QWORD",
        _ => "REG_UNKNOWN",
    };
}

/// <summary>Result of reading one key: presence, its values (by name, case-insensitive; default value is "")
/// and the names of its direct subkeys. <see cref="Source"/> says where it came from, for evidence.</summary>
public sealed record RegistryKeyRead
{
    public required string Path { get; init; }
    public required RegistryKeyPresence Presence { get; init; }
    public IReadOnlyDictionary<string, RegistryValue> Values { get; init; } =
        new Dictionary<string, RegistryValue>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlyList<string> SubKeyNames { get; init; } = [];
    public required string Source { get; init; }

    public RegistryValue? Value(string name) => Values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Evidence-ready location: <c>HKLM\path</c> or <c>HKLM\path\name</c>.</summary>
    public string Location(string? valueName = null) =>
        valueName is null ? $@"HKLM\{Path}" : $@"HKLM\{Path}\{valueName}";
}
