using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>
/// Reads a remote host's HKLM through WMI's StdRegProv (root\default) over WinRM, 64-bit view. A key is present when
/// EnumKey succeeds on it, absent when StdRegProv answers "not found" (2); anything else is an error, never "absent".
/// </summary>
internal sealed class CimRegistry : IRegistry
{
    public const string Namespace = @"root\default";
    private const string ClassName = "StdRegProv";
    private const uint HkeyLocalMachine = 0x80000002;

    // StdRegProv return values (Win32 codes, or a WBEM HRESULT for a type mismatch).
    private const long Success = 0;
    private const long FileNotFound = 2;
    private const long AccessDenied = 5;
    private const long InvalidData = 13;
    private const long WbemTypeMismatch = 0x80041005;

    private readonly CimCaller _cim;

    public CimRegistry(CimCaller cim)
    {
        _cim = cim;
    }

    public string SourceName => $"registry over CIM (cim://{_cim.Host})";

    public async ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        var path = RegistryPaths.RelativeToLocalMachine(keyPath);

        var keys = await CallAsync("EnumKey", path, valueName: null, cancellationToken).ConfigureAwait(false);
        var keysResult = ReturnCode(keys, "EnumKey", path);
        if (keysResult == FileNotFound)
        {
            return Absent(path);
        }

        EnsureSuccess(keysResult, "EnumKey", path, valueName: null);
        var subKeys = StringArray(keys, "sNames", "EnumKey", path) ?? [];

        var values = await CallAsync("EnumValues", path, valueName: null, cancellationToken).ConfigureAwait(false);
        var valuesResult = ReturnCode(values, "EnumValues", path);
        if (valuesResult == FileNotFound)
        {
            // Deleted between the two calls: it is absent now.
            return Absent(path);
        }

        EnsureSuccess(valuesResult, "EnumValues", path, valueName: null);
        var names = StringArray(values, "sNames", "EnumValues", path) ?? [];
        var types = IntArray(values, "Types", path) ?? [];
        if (names.Length != types.Length)
        {
            throw new HostFactsException($@"{_cim.Host}: StdRegProv EnumValues on HKLM\{path} gave {names.Length} names but {types.Length} types");
        }

        var read = new Dictionary<string, RegistryValue>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            var value = await ReadValueAsync(path, names[i] ?? string.Empty, types[i], cancellationToken).ConfigureAwait(false);
            if (value is not null)
            {
                read[value.Name] = value;
            }
        }

        return new RegistryKeyRead
        {
            Path = path,
            Presence = RegistryKeyPresence.Present,
            Values = read,
            SubKeyNames = subKeys,
            Source = SourceName,
        };
    }

    /// <summary>Null when the value was deleted since EnumValues listed it.</summary>
    private async Task<RegistryValue?> ReadValueAsync(string path, string name, int type, CancellationToken cancellationToken)
    {
        var (method, valueType) = type switch
        {
            1 => ("GetStringValue", RegistryValueType.String),
            2 => ("GetExpandedStringValue", RegistryValueType.ExpandString),
            3 => ("GetBinaryValue", RegistryValueType.Binary),
            4 => ("GetDWORDValue", RegistryValueType.DWord),
            7 => ("GetMultiStringValue", RegistryValueType.MultiString),
            11 => ("GetQWORDValue", RegistryValueType.QWord),
            0 => ("GetBinaryValue", RegistryValueType.None),
            _ => ("GetBinaryValue", RegistryValueType.Other),
        };

        var output = await CallAsync(method, path, name, cancellationToken).ConfigureAwait(false);
        var result = ReturnCode(output, method, path);
        if (result == FileNotFound)
        {
            return null;
        }

        if (result != Success && valueType is RegistryValueType.None or RegistryValueType.Other)
        {
            // StdRegProv has no reader for REG_NONE, REG_LINK, REG_RESOURCE_LIST, …: the value is there, its bytes are not
            // readable over CIM. The live adapter reports such types the same way (no data).
            return new RegistryValue(name, valueType, Array.Empty<byte>());
        }

        EnsureSuccess(result, method, path, name);
        var raw = Out(output, valueType is RegistryValueType.String or RegistryValueType.ExpandString or RegistryValueType.MultiString ? "sValue" : "uValue");
        object? data = valueType switch
        {
            // StdRegProv may leave sValue out for an empty string: the value is there and empty.
            RegistryValueType.String or RegistryValueType.ExpandString => raw is null ? string.Empty : raw as string,
            RegistryValueType.MultiString => MultiString(raw),
            RegistryValueType.DWord => Unsigned(raw, uint.MaxValue) is { } d ? (uint)d : null,
            RegistryValueType.QWord => Unsigned(raw, ulong.MaxValue),
            _ => Bytes(raw),
        };

        return data is null
            ? throw WrongType(path, name, type, method, $"gave {Describe(raw)}")
            : new RegistryValue(name, valueType, data);
    }

    private Task<CimMethodOutput> CallAsync(string method, string path, string? valueName, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["hDefKey"] = HkeyLocalMachine,
            ["sSubKeyName"] = path,
        };
        if (valueName is not null)
        {
            arguments["sValueName"] = valueName;
        }

        var what = valueName is null ? $@"read HKLM\{path} (StdRegProv {method})" : $@"read HKLM\{path}\{valueName} (StdRegProv {method})";
        return _cim.InvokeAsync(Namespace, ClassName, instanceKeys: null, method, arguments, what, cancellationToken);
    }

    private long ReturnCode(CimMethodOutput output, string method, string path) =>
        Unsigned(output.ReturnValue, uint.MaxValue) is { } code
            ? (long)code
            : throw new HostFactsException($@"{_cim.Host}: StdRegProv {method} on HKLM\{path} gave no return value ({Describe(output.ReturnValue)})");

    private void EnsureSuccess(long result, string method, string path, string? valueName)
    {
        var location = valueName is null ? $@"HKLM\{path}" : $@"HKLM\{path}\{valueName}";
        switch (result)
        {
            case Success:
                return;
            case AccessDenied:
                throw new HostFactsException(
                    $"{_cim.Host}: access denied reading {location} (StdRegProv {method}): the account running orchprep needs to be a local administrator on the host.");
            case WbemTypeMismatch or InvalidData when valueName is not null:
                throw new HostFactsException($"{_cim.Host}: {location}: wrong value type: StdRegProv {method} refused it (0x{result:X8}); the value may have changed type while it was read.");
            default:
                throw new HostFactsException($"{_cim.Host}: cannot read {location}: StdRegProv {method} returned {result} (0x{result.ToString("X8", CultureInfo.InvariantCulture)}).");
        }
    }

    private HostFactsException WrongType(string path, string name, int type, string method, string detail) =>
        new($@"{_cim.Host}: HKLM\{path}\{name}: wrong value type: EnumValues says type {type}, but {method} {detail}");

    private RegistryKeyRead Absent(string path) =>
        new() { Path = path, Presence = RegistryKeyPresence.Absent, Source = SourceName };

    private static object? Out(CimMethodOutput output, string name) =>
        output.OutParameters.TryGetValue(name, out var value) ? value : null;

    private string[]? StringArray(CimMethodOutput output, string name, string method, string path) => Out(output, name) switch
    {
        null => null,
        string[] names => names,
        var other => throw new HostFactsException($@"{_cim.Host}: StdRegProv {method} on HKLM\{path}: {name} is {Describe(other)}, not a list of names"),
    };

    private int[]? IntArray(CimMethodOutput output, string name, string path) => Out(output, name) switch
    {
        null => null,
        int[] ints => ints,
        Array array => array.Cast<object>().Select(v => (int)(Unsigned(v, uint.MaxValue) ?? throw new HostFactsException(
            $@"{_cim.Host}: StdRegProv EnumValues on HKLM\{path}: a type in {name} is {Describe(v)}"))).ToArray(),
        var other => throw new HostFactsException($@"{_cim.Host}: StdRegProv EnumValues on HKLM\{path}: {name} is {Describe(other)}, not a list of types"),
    };

    /// <summary>An empty REG_MULTI_SZ comes back as no array at all; that is an empty list, not a missing value.</summary>
    private static string[]? MultiString(object? value) => value switch
    {
        string[] strings => strings,
        null => [],
        _ => null,
    };

    private static byte[]? Bytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        null => [],
        _ => null,
    };

    private static ulong? Unsigned(object? value, ulong max)
    {
        ulong? number = value switch
        {
            byte b => b,
            ushort s => s,
            uint u => u,
            ulong l => l,
            int i when i >= 0 => (ulong)i,
            int i => unchecked((uint)i),
            long l when l >= 0 => (ulong)l,
            _ => null,
        };
        return number <= max ? number : null;
    }

    private static string Describe(object? value) => value is null ? "missing" : $"{value.GetType().Name} {value}";

}
