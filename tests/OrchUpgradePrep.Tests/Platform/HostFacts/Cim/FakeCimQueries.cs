using System.Collections.Concurrent;
using OrchUpgradePrep.Platform.HostFacts.Cim;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Cim;

/// <summary>A host behind the CIM seam: a small HKLM served as StdRegProv answers it, WQL queries answered by class,
/// Win32_Process.GetOwner by handle, and switches to fail or hang any call.</summary>
internal sealed class FakeCimQueries : ICimQueries
{
    public const string Host = "orch-ms01";

    public string Endpoint => $"http://{Host}:5985/wsman";

    /// <summary>HKLM keys by path (case-insensitive); a key's subkeys are the keys one level below it.</summary>
    public Dictionary<string, List<FakeRegValue>> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>ReturnValue forced for a StdRegProv method on a key ("EnumKey", path) or value ("GetDWORDValue", path\name).</summary>
    public Dictionary<(string Method, string Target), uint> ReturnOverrides { get; } = [];

    /// <summary>Out parameters replaced for a StdRegProv Get*Value on path\name (a value of the wrong CIM type).</summary>
    public Dictionary<string, object?> OutOverrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rows by class name, found in the WQL text after FROM.</summary>
    public Dictionary<string, List<IReadOnlyDictionary<string, object?>>> Classes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>GetOwner answers by process handle; a handle not here is a process that has exited (NotFound).</summary>
    public Dictionary<string, (uint ReturnValue, string? Domain, string? User)> Owners { get; } = [];

    /// <summary>DetermineIfRebootPending's answer; null = the host has no root\ccm\ClientSDK namespace.</summary>
    public CimMethodOutput? ConfigMgr { get; set; }

    /// <summary>Thrown by every call when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Calls wait for their token, as a call to a host that stopped answering does.</summary>
    public bool Hang { get; set; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public void AddKey(string path, params FakeRegValue[] values)
    {
        Keys[path] = [.. values];
        var parent = path;
        while (parent.LastIndexOf('\\') is var cut and > 0)
        {
            parent = parent[..cut];
            Keys.TryAdd(parent, []);
        }
    }

    public void AddRows(string className, params IReadOnlyDictionary<string, object?>[] rows) =>
        Classes[className] = [.. rows];

    public static IReadOnlyDictionary<string, object?> Row(params (string Name, object? Value)[] properties) =>
        properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"{cimNamespace}: {wqlQuery}");
        await Gate(cancellationToken);
        var className = wqlQuery.Split(" FROM ", 2)[1].Split(' ')[0];
        if (className == "Win32_Directory")
        {
            return Directories(wqlQuery);
        }

        return Classes.TryGetValue(className, out var rows) ? rows : [];
    }

    public async Task<CimMethodOutput> InvokeAsync(
        string cimNamespace,
        string className,
        IReadOnlyDictionary<string, object>? instanceKeys,
        string methodName,
        IReadOnlyDictionary<string, object> arguments,
        CancellationToken cancellationToken)
    {
        var path = arguments.TryGetValue("sSubKeyName", out var p) ? (string)p : null;
        var valueName = arguments.TryGetValue("sValueName", out var v) ? (string)v : null;
        Calls.Enqueue($@"{cimNamespace}: {className}.{methodName} hDefKey={(arguments.TryGetValue("hDefKey", out var h) ? $"0x{h:X8}" : "-")} {path}{(valueName is null ? "" : "\\" + valueName)}");
        await Gate(cancellationToken);
        return className switch
        {
            "StdRegProv" => StdRegProv(methodName, path!, valueName),
            "Win32_Process" when methodName == "GetOwner" => GetOwner((string)instanceKeys!["Handle"]),
            "CCM_ClientUtilities" when methodName == "DetermineIfRebootPending" =>
                ConfigMgr ?? throw new CimCallException("Invalid namespace", "InvalidNamespace"),
            _ => throw new CimCallException($"no method {className}.{methodName}", "MethodNotFound"),
        };
    }

    private async Task Gate(CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    private CimMethodOutput StdRegProv(string method, string path, string? valueName)
    {
        var target = valueName is null ? path : $@"{path}\{valueName}";
        if (ReturnOverrides.TryGetValue((method, target), out var forced))
        {
            return Output(forced);
        }

        if (!Keys.TryGetValue(path, out var values))
        {
            return Output(2);
        }

        switch (method)
        {
            case "EnumKey":
                var prefix = path + "\\";
                var subKeys = Keys.Keys
                    .Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !k[prefix.Length..].Contains('\\', StringComparison.Ordinal))
                    .Select(k => k[prefix.Length..])
                    .ToArray();
                return Output(0, ("sNames", subKeys.Length == 0 ? null : subKeys));
            case "EnumValues":
                return values.Count == 0
                    ? Output(0)
                    : Output(0, ("sNames", values.Select(x => x.Name).ToArray()), ("Types", values.Select(x => x.Type).ToArray()));
        }

        var value = values.FirstOrDefault(x => string.Equals(x.Name, valueName, StringComparison.OrdinalIgnoreCase));
        if (value is null)
        {
            return Output(2);
        }

        var expected = value.Type switch
        {
            1 => "GetStringValue",
            2 => "GetExpandedStringValue",
            3 => "GetBinaryValue",
            4 => "GetDWORDValue",
            7 => "GetMultiStringValue",
            11 => "GetQWORDValue",
            _ => "none",
        };
        if (method != expected)
        {
            return Output(0x80041005);
        }

        var outName = value.Type is 1 or 2 or 7 ? "sValue" : "uValue";
        return Output(0, (outName, OutOverrides.TryGetValue(target, out var replaced) ? replaced : value.Data));
    }

    private CimMethodOutput GetOwner(string handle)
    {
        if (!Owners.TryGetValue(handle, out var owner))
        {
            throw new CimCallException("Not found", "NotFound");
        }

        return Output(owner.ReturnValue, ("Domain", owner.Domain), ("User", owner.User));
    }

    private List<IReadOnlyDictionary<string, object?>> Directories(string wql)
    {
        // WHERE Drive = 'c:' AND Path = '\\program files\\dotnet\\shared\\' → children of that folder, lower case like WMI.
        var quoted = wql.Split('\'');
        var folder = (quoted[1] + quoted[3].Replace(@"\\", @"\", StringComparison.Ordinal)).TrimEnd('\\');
        return Folders
            .Where(f => f.StartsWith(folder + "\\", StringComparison.OrdinalIgnoreCase) && !f[(folder.Length + 1)..].Contains('\\', StringComparison.Ordinal))
            .Select(f => Row(("Name", f.ToLowerInvariant())))
            .ToList();
    }

    /// <summary>Folders on the host's disks, full paths.</summary>
    public List<string> Folders { get; } = [];

    private static CimMethodOutput Output(uint returnValue, params (string Name, object? Value)[] outputs) =>
        new(returnValue, outputs.ToDictionary(o => o.Name, o => o.Value, StringComparer.OrdinalIgnoreCase));
}

internal sealed record FakeRegValue(string Name, int Type, object? Data)
{
    public static FakeRegValue Sz(string name, string data) => new(name, 1, data);
    public static FakeRegValue ExpandSz(string name, string data) => new(name, 2, data);
    public static FakeRegValue Binary(string name, params byte[] data) => new(name, 3, data);
    public static FakeRegValue DWord(string name, uint data) => new(name, 4, data);
    public static FakeRegValue MultiSz(string name, params string[]? data) => new(name, 7, data);
    public static FakeRegValue QWord(string name, ulong data) => new(name, 11, data);
}
