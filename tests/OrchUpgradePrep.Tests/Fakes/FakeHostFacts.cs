using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Tests.Fakes;

/// <summary>A host whose facts a test sets. A fact left null throws <see cref="HostFactsException"/>, as a real
/// source that cannot give it would, so a check that forgets to handle that fails its test.</summary>
internal sealed class FakeHostFacts : IHostFacts
{
    public FakeHostFacts(string hostName = "orch-ms01") => HostName = hostName;

    public string HostName { get; }

    public string SourceDescription => "fake";

    public FakeRegistry FakeRegistry { get; } = new();

    public IRegistry Registry => FakeRegistry;

    public OperatingSystemFacts? OperatingSystem { get; set; }
    public HardwareFacts? Hardware { get; set; }
    public List<VolumeFacts>? Volumes { get; set; }
    public List<DotNetRuntime>? DotNetRuntimes { get; set; }
    public List<ProcessInfo>? Processes { get; set; }
    public List<SessionInfo>? Sessions { get; set; }
    public List<ServiceInfo>? Services { get; set; }

    public Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken) => Give(OperatingSystem, "operating system", cancellationToken);
    public Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken) => Give(Hardware, "hardware", cancellationToken);
    public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) => Give<IReadOnlyList<VolumeFacts>>(Volumes, "volumes", cancellationToken);
    public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) => Give<IReadOnlyList<DotNetRuntime>>(DotNetRuntimes, "dotnet runtimes", cancellationToken);
    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) => Give<IReadOnlyList<ProcessInfo>>(Processes, "processes", cancellationToken);
    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) => Give<IReadOnlyList<SessionInfo>>(Sessions, "sessions", cancellationToken);
    public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) => Give<IReadOnlyList<ServiceInfo>>(Services, "services", cancellationToken);

    /// <summary>The ConfigMgr answer; null = no client. <see cref="ConfigMgrUnreadable"/> = the call fails.</summary>
    public ConfigMgrRebootState? ConfigMgr { get; set; }

    public bool ConfigMgrUnreadable { get; set; }

    public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken) =>
        ConfigMgrUnreadable ? throw new HostFactsException("fake host: CCM_ClientUtilities access denied") : Task.FromResult(ConfigMgr);

    /// <summary>Local groups by name; a group not listed throws (not exported).</summary>
    public Dictionary<string, List<GroupMember>>? LocalGroups { get; set; }

    /// <summary>Account states by account; an account not listed reads as not readable (null).</summary>
    public Dictionary<string, AccountState> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool AccountsUnreadable { get; set; }

    /// <summary>The DSC LCM state; null = no DSC. <see cref="DscUnreadable"/> = the call fails.</summary>
    public DscLcmState? Dsc { get; set; }

    public bool DscUnreadable { get; set; }

    /// <summary>Files that exist (by path); null = the source cannot tell (throws).</summary>
    public HashSet<string>? ExistingFiles { get; set; }

    public Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return LocalGroups is { } groups && groups.TryGetValue(group, out var members)
            ? Task.FromResult<IReadOnlyList<GroupMember>>(members)
            : throw new HostFactsException($"fake host has no local group '{group}'");
    }

    public Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken) =>
        AccountsUnreadable ? throw new HostFactsException("fake host: Win32_UserAccount access denied") : Task.FromResult(Accounts.GetValueOrDefault(account));

    public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken) =>
        DscUnreadable ? throw new HostFactsException("fake host: MSFT_DSCLocalConfigurationManager access denied") : Task.FromResult(Dsc);

    public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        ExistingFiles is { } files
            ? Task.FromResult<IReadOnlyDictionary<string, bool>>(paths.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(p => p, files.Contains, StringComparer.OrdinalIgnoreCase))
            : throw new HostFactsException("fake host: file existence unknown");

    /// <summary>The IIS log scan the host answers (the test decides entries and files); null = unreadable (throws).</summary>
    public IisLogScan? IisLogs { get; set; }

    /// <summary>The queries the check asked, so a test can see the look-back it used.</summary>
    public List<IisLogQuery> IisLogQueries { get; } = [];

    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IisLogQueries.Add(query);
        return IisLogs is { } scan ? Task.FromResult(scan) : throw new HostFactsException("fake host: access denied reading the IIS log folder");
    }

    private static Task<T> Give<T>(T? value, string what, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        return value is null ? throw new HostFactsException($"fake host has no {what}") : Task.FromResult(value);
    }
}

/// <summary>Keys a test declares. Keys under <see cref="KnownRoots"/> that are not declared are absent;
/// anything else is unknown, as in a snapshot.</summary>
internal sealed class FakeRegistry : IRegistry
{
    private readonly Dictionary<string, Dictionary<string, RegistryValue>> _keys = new(StringComparer.OrdinalIgnoreCase);

    public List<string> KnownRoots { get; } = [string.Empty];

    public HashSet<string> Unreadable { get; } = new(StringComparer.OrdinalIgnoreCase);

    public FakeRegistry Key(string path, params RegistryValue[] values)
    {
        if (!_keys.TryGetValue(path, out var existing))
        {
            existing = new Dictionary<string, RegistryValue>(StringComparer.OrdinalIgnoreCase);
            _keys[path] = existing;
        }

        foreach (var value in values)
        {
            existing[value.Name] = value;
        }

        return this;
    }

    public ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Unreadable.Contains(keyPath))
        {
            throw new HostFactsException($@"cannot read HKLM\{keyPath}: access denied");
        }

        if (_keys.TryGetValue(keyPath, out var values))
        {
            var children = _keys.Keys
                .Where(k => k.StartsWith(keyPath + "\\", StringComparison.OrdinalIgnoreCase))
                .Select(k => k[(keyPath.Length + 1)..].Split('\\')[0])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToArray();
            return ValueTask.FromResult(new RegistryKeyRead { Path = keyPath, Presence = RegistryKeyPresence.Present, Values = values, SubKeyNames = children, Source = "fake registry" });
        }

        var covered = KnownRoots.Any(r => r.Length == 0 || keyPath.StartsWith(r + "\\", StringComparison.OrdinalIgnoreCase) || string.Equals(r, keyPath, StringComparison.OrdinalIgnoreCase));
        return ValueTask.FromResult(new RegistryKeyRead
        {
            Path = keyPath,
            Presence = covered ? RegistryKeyPresence.Absent : RegistryKeyPresence.Unknown,
            Source = "fake registry",
        });
    }

    public static RegistryValue Sz(string name, string value) => new(name, RegistryValueType.String, value);

    public static RegistryValue Dword(string name, uint value) => new(name, RegistryValueType.DWord, value);

    public static RegistryValue MultiSz(string name, params string[] value) => new(name, RegistryValueType.MultiString, value);

    public static RegistryValue Binary(string name, params byte[] value) => new(name, RegistryValueType.Binary, value);
}

/// <summary>Gives the same fake for every host, so a check can run through the real <c>CheckRunner</c>.</summary>
internal sealed class FakeHostFactsSource(FakeHostFacts facts) : IHostFactsSource
{
    public IHostFacts For(OrchUpgradePrep.Config.HostConfig host) => facts;
}
