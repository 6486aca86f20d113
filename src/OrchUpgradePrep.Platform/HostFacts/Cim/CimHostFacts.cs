using System.Globalization;
using System.Runtime.Versioning;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts.Windows;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Cim;

/// <summary>
/// Host facts of a remote Windows host, read over WinRM with CIM (WS-Management): the same facts and the same errors as
/// the live adapter, from the same classes (Win32_*), StdRegProv for the registry and Win32_Directory for runtime folders.
/// Needs a Windows runner: the CIM native runtime that speaks WinRM to Windows exists only there.
/// </summary>
public sealed class CimHostFacts : IHostFacts, IDisposable
{
    private const string Cimv2 = @"root\cimv2";
    private const string ConfigMgrNamespace = @"root\ccm\ClientSDK";
    private const string CurrentVersionKey = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    private const string WindowsCurrentVersionKey = @"SOFTWARE\Microsoft\Windows\CurrentVersion";

    // Folder names under dotnet\shared as the installers write them; Win32_Directory reports paths in lower case.
    private static readonly string[] KnownRuntimeNames = ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App", "Microsoft.WindowsDesktop.App"];

    // Interactive logons: console (2), Remote Desktop (10), cached credentials (11).
    private static readonly HashSet<long> InteractiveLogonTypes = [2, 10, 11];

    private readonly ICimQueries _queries;
    private readonly CimCaller _cim;
    private readonly CimRegistry _registry;
    private readonly CimHostFactsOptions _options;

    /// <summary>Reads <paramref name="hostName"/> over WinRM as the account running orchprep.</summary>
    [SupportedOSPlatform("windows")]
    public CimHostFacts(string hostName, CimHostFactsOptions? options = null)
        : this(hostName, new CimSessionQueries(hostName, options ?? new CimHostFactsOptions()), options ?? new CimHostFactsOptions(), TimeProvider.System)
    {
    }

    internal CimHostFacts(string hostName, ICimQueries queries, CimHostFactsOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        HostName = hostName;
        _queries = queries;
        _options = options;
        _cim = new CimCaller(hostName, queries, options.CallTimeout, time);
        _registry = new CimRegistry(_cim);
    }

    public string HostName { get; }

    public string SourceDescription => $"cim://{HostName}";

    public IRegistry Registry => _registry;

    /// <summary>The factory <see cref="HostFactsSource"/> uses for remote hosts: CIM on Windows, none elsewhere.</summary>
    public static Func<HostConfig, IHostFacts>? RemoteFactoryForThisPlatform() =>
        OperatingSystem.IsWindows()
            ? host => OperatingSystem.IsWindows() ? new CimHostFacts(host.Name) : throw new PlatformNotSupportedException()
            : null;

    public async Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken)
    {
        const string className = "Win32_OperatingSystem";
        var os = Single(await QueryAsync($"SELECT Caption, Version, BuildNumber FROM {className}", className, cancellationToken).ConfigureAwait(false), className);
        var buildText = CimValues.RequiredString(os, HostName, className, "BuildNumber");
        if (!int.TryParse(buildText, NumberStyles.None, CultureInfo.InvariantCulture, out var build))
        {
            throw new HostFactsException($"{HostName}: CIM {className}.BuildNumber is not a number: {buildText}");
        }

        // CIM has no "Server Core" flag; the registry does (Client, Server, Server Core).
        var currentVersion = await _registry.ReadKeyAsync(CurrentVersionKey, cancellationToken).ConfigureAwait(false);
        var installationType = currentVersion.Value("InstallationType")?.Data as string;

        return new OperatingSystemFacts(
            CimValues.RequiredString(os, HostName, className, "Caption").Trim(),
            CimValues.RequiredString(os, HostName, className, "Version"),
            build,
            installationType,
            $"CIM {className} ({SourceDescription})");
    }

    public async Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken)
    {
        const string systemClass = "Win32_ComputerSystem";
        const string processorClass = "Win32_Processor";
        var system = Single(await QueryAsync($"SELECT TotalPhysicalMemory FROM {systemClass}", systemClass, cancellationToken).ConfigureAwait(false), systemClass);
        var sockets = await QueryAsync($"SELECT NumberOfCores, NumberOfLogicalProcessors, MaxClockSpeed FROM {processorClass}", processorClass, cancellationToken).ConfigureAwait(false);
        if (sockets.Count == 0)
        {
            throw new HostFactsException($"{HostName}: CIM {processorClass} returned no processors");
        }

        // Cores add up across sockets; the slowest socket sets the clock a check may rely on.
        return new HardwareFacts(
            CimValues.RequiredInt64(system, HostName, systemClass, "TotalPhysicalMemory"),
            sockets.Sum(s => CimValues.RequiredInt32(s, HostName, processorClass, "NumberOfCores")),
            sockets.Sum(s => CimValues.RequiredInt32(s, HostName, processorClass, "NumberOfLogicalProcessors")),
            sockets.Min(s => CimValues.RequiredInt32(s, HostName, processorClass, "MaxClockSpeed")),
            $"CIM {systemClass}, {processorClass} ({SourceDescription})");
    }

    public async Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken)
    {
        const string className = "Win32_LogicalDisk";
        var disks = await QueryAsync($"SELECT DeviceID, Size, FreeSpace FROM {className} WHERE DriveType = 3", className, cancellationToken).ConfigureAwait(false);
        var volumes = new List<VolumeFacts>();
        foreach (var disk in disks)
        {
            // A fixed disk without a size is not ready (BitLocker-locked, being formatted), as DriveInfo.IsReady says locally.
            // FreeSpace is the volume's, not the running user's quota: remotely there is no user to apply it to.
            var size = CimValues.OptionalInt64(disk, HostName, className, "Size");
            var free = CimValues.OptionalInt64(disk, HostName, className, "FreeSpace");
            if (size is { } s && free is { } f)
            {
                volumes.Add(new VolumeFacts(CimValues.RequiredString(disk, HostName, className, "DeviceID"), s, f));
            }
        }

        return volumes;
    }

    public async Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken)
    {
        // The live adapter lists %ProgramFiles%\dotnet\shared\<name>\<version>; remotely the same folders come from Win32_Directory.
        var currentVersion = await _registry.ReadKeyAsync(WindowsCurrentVersionKey, cancellationToken).ConfigureAwait(false);
        if (currentVersion.Value("ProgramFilesDir")?.Data is not string programFiles || programFiles.Length < 3 || programFiles[1] != ':')
        {
            throw new HostFactsException(
                $@"{HostName}: cannot find the .NET runtimes over CIM: HKLM\{WindowsCurrentVersionKey}\ProgramFilesDir is missing or not a local path");
        }

        var shared = programFiles.TrimEnd('\\') + @"\dotnet\shared";
        var runtimes = new List<DotNetRuntime>();
        foreach (var framework in await SubfoldersAsync(shared, cancellationToken).ConfigureAwait(false))
        {
            var name = KnownRuntimeNames.FirstOrDefault(n => string.Equals(n, framework, StringComparison.OrdinalIgnoreCase)) ?? framework;
            foreach (var version in await SubfoldersAsync($@"{shared}\{framework}", cancellationToken).ConfigureAwait(false))
            {
                if (DotNetRuntimeFolders.IsVersionFolder(version))
                {
                    runtimes.Add(new DotNetRuntime(name, version));
                }
            }
        }

        return DotNetRuntimeFolders.Sorted(runtimes);
    }

    public async Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken)
    {
        const string className = "Win32_Process";
        var rows = await QueryAsync($"SELECT Handle, ProcessId, Name, ExecutablePath, SessionId FROM {className}", className, cancellationToken).ConfigureAwait(false);
        var processes = new ProcessInfo[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            processes[i] = new ProcessInfo(
                CimValues.RequiredInt32(row, HostName, className, "ProcessId"),
                CimValues.RequiredString(row, HostName, className, "Name"),
                CimValues.OptionalString(row, "ExecutablePath"),
                UserName: null,
                CimValues.RequiredInt32(row, HostName, className, "SessionId"));
        }

        if (!_options.ResolveProcessOwners)
        {
            return processes;
        }

        // One GetOwner call per process; a few at a time keeps a busy host's list to seconds without flooding WinRM.
        await Parallel.ForAsync(0, processes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var handle = CimValues.OptionalString(rows[i], "Handle") ?? processes[i].ProcessId.ToString(CultureInfo.InvariantCulture);
            processes[i] = processes[i] with { UserName = await OwnerAsync(handle, processes[i], token).ConfigureAwait(false) };
        }).ConfigureAwait(false);
        return processes;
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken)
    {
        // WTS, which the live adapter uses, is RPC, not WinRM. Over CIM: interactive logon sessions (Win32_LogonSession),
        // their users (Win32_LoggedOnUser) and their processes (Win32_SessionProcess), whose SessionId is the session's.
        // Logon sessions without a process are stale (Windows keeps some after logoff) and are left out.
        var logons = await QueryAsync("SELECT LogonId, LogonType FROM Win32_LogonSession", "Win32_LogonSession", cancellationToken).ConfigureAwait(false);
        var interactive = logons
            .Where(l => CimValues.OptionalInt64(l, HostName, "Win32_LogonSession", "LogonType") is { } type && InteractiveLogonTypes.Contains(type))
            .Select(l => CimValues.RequiredString(l, HostName, "Win32_LogonSession", "LogonId"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (interactive.Count == 0)
        {
            return [];
        }

        var users = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var link in await QueryAsync("SELECT * FROM Win32_LoggedOnUser", "Win32_LoggedOnUser", cancellationToken).ConfigureAwait(false))
        {
            if (CimValues.OptionalRow(link, "Dependent") is { } logon && CimValues.OptionalString(logon, "LogonId") is { } logonId
                && CimValues.OptionalRow(link, "Antecedent") is { } account && CimValues.OptionalString(account, "Name") is { } name)
            {
                users[logonId] = CimValues.OptionalString(account, "Domain") is { } domain ? $@"{domain}\{name}" : name;
            }
        }

        var sessionOfProcess = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var process in await QueryAsync("SELECT Handle, SessionId FROM Win32_Process", "Win32_Process", cancellationToken).ConfigureAwait(false))
        {
            if (CimValues.OptionalString(process, "Handle") is { } handle)
            {
                sessionOfProcess[handle] = CimValues.RequiredInt32(process, HostName, "Win32_Process", "SessionId");
            }
        }

        // UAC gives an administrator two logon sessions in one Windows session; one row per Windows session.
        var sessions = new SortedDictionary<int, SessionInfo>();
        foreach (var link in await QueryAsync("SELECT * FROM Win32_SessionProcess", "Win32_SessionProcess", cancellationToken).ConfigureAwait(false))
        {
            if (CimValues.OptionalRow(link, "Antecedent") is { } logon && CimValues.OptionalString(logon, "LogonId") is { } logonId && interactive.Contains(logonId)
                && CimValues.OptionalRow(link, "Dependent") is { } process && CimValues.OptionalString(process, "Handle") is { } handle
                && sessionOfProcess.TryGetValue(handle, out var sessionId) && !sessions.ContainsKey(sessionId))
            {
                // CIM does not say whether a session is active or disconnected: "Unknown", never a guess.
                sessions[sessionId] = new SessionInfo(sessionId, users.GetValueOrDefault(logonId), "Unknown", ClientName: null);
            }
        }

        return sessions.Values.ToList();
    }

    public async Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken)
    {
        const string className = "Win32_Service";
        var rows = await QueryAsync($"SELECT Name, DisplayName, State, StartMode, PathName, StartName, ProcessId, ServiceType FROM {className}", className, cancellationToken).ConfigureAwait(false);
        return rows.Select(row =>
        {
            var name = CimValues.RequiredString(row, HostName, className, "Name");
            return new ServiceInfo(
                name,
                CimValues.OptionalString(row, "DisplayName") ?? name,
                CimValues.OptionalString(row, "State") ?? "Unknown",
                CimValues.OptionalString(row, "StartMode") ?? "Unknown",
                CimValues.OptionalString(row, "PathName"),
                CimValues.OptionalString(row, "StartName"),
                CimValues.OptionalInt64(row, HostName, className, "ProcessId") is { } pid and >= 0 and <= int.MaxValue ? (int)pid : null,
                CimValues.OptionalString(row, "ServiceType") is { } type ? string.Equals(type, "Share Process", StringComparison.OrdinalIgnoreCase) : null);
        }).ToList();
    }

    public async Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken)
    {
        const string className = "Win32_GroupUser";
        // The group's domain is the host's NetBIOS name: the first label of the configured name.
        var rows = await QueryAsync(
            $"SELECT PartComponent FROM {className} WHERE {GroupMembership.WhereGroup(HostName.Split('.')[0].ToUpperInvariant(), group)}", className, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => GroupMembership.FromPartComponent(CimValues.OptionalString(r, "PartComponent"))).OfType<GroupMember>()];
    }

    public async Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var separator = account.IndexOf('\\', StringComparison.Ordinal);
        var domain = separator > 0 ? account[..separator] : ".";
        var user = account[(separator + 1)..];
        if ((domain != "." && !string.Equals(domain, HostName.Split('.')[0], StringComparison.OrdinalIgnoreCase)) || user.Contains('\'', StringComparison.Ordinal))
        {
            // A domain account's state lives in AD: not readable over this host's CIM.
            return null;
        }

        const string className = "Win32_UserAccount";
        var rows = await QueryAsync($"SELECT Name, Lockout, Disabled FROM {className} WHERE LocalAccount = TRUE AND Name = '{user}'", className, cancellationToken).ConfigureAwait(false);
        return rows.Count == 1
            ? new AccountState(account, rows[0].GetValueOrDefault("Lockout") as bool?, rows[0].GetValueOrDefault("Disabled") as bool?, null, $"cim://{HostName} {className}")
            : null;
    }

    public async Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken)
    {
        const string dscNamespace = @"root\Microsoft\Windows\DesiredStateConfiguration";
        CimMethodOutput output;
        try
        {
            output = await _cim.InvokeAsync(
                dscNamespace,
                "MSFT_DSCLocalConfigurationManager",
                null,
                "GetMetaConfiguration",
                new Dictionary<string, object>(StringComparer.Ordinal),
                "call MSFT_DSCLocalConfigurationManager.GetMetaConfiguration",
                cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex) when (CimErrors.IsInvalidNamespace(ex))
        {
            // No DSC on the host: not applicable, never a failure.
            return null;
        }

        return output.OutParameters.GetValueOrDefault("MetaConfiguration") is IReadOnlyDictionary<string, object?> meta && meta.GetValueOrDefault("LCMState") is string state
            ? new DscLcmState(state, $"cim://{HostName} {dscNamespace}:MSFT_DSCLocalConfigurationManager.GetMetaConfiguration()")
            : throw new HostFactsException($"{HostName}: GetMetaConfiguration returned no LCMState");
    }

    public async Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        const string className = "CIM_DataFile";
        var result = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (path.Contains('\'', StringComparison.Ordinal))
            {
                throw new HostFactsException($"{HostName}: the path '{path}' cannot be put in a WQL query");
            }

            var rows = await QueryAsync($"SELECT Name FROM {className} WHERE Name = '{path.Replace("\\", "\\\\", StringComparison.Ordinal)}'", className, cancellationToken).ConfigureAwait(false);
            result[path] = rows.Count > 0;
        }

        return result;
    }

    /// <summary>CIM reads no file's contents (CIM_DataFile has names and sizes only), so a remote host's IIS logs are not
    /// readable this way: the check says so and names the two ways that work.</summary>
    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken) =>
        Task.FromException<IisLogScan>(new HostFactsException(
            $"{HostName}: IIS logs cannot be read over WinRM/CIM (CIM gives no file contents); run orchprep on {HostName}, " +
            "or give the host a snapshot with its IIS logs in an iis-logs folder (docs/snapshots.md)"));

    public async Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken)
    {
        CimMethodOutput output;
        try
        {
            output = await _cim.InvokeAsync(
                ConfigMgrNamespace,
                "CCM_ClientUtilities",
                null,
                "DetermineIfRebootPending",
                new Dictionary<string, object>(StringComparer.Ordinal),
                "call CCM_ClientUtilities.DetermineIfRebootPending",
                cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex) when (CimErrors.IsInvalidNamespace(ex))
        {
            // No Configuration Manager client: not applicable (docs/facts/restart-signals.md#ccm), never a failure.
            return null;
        }

        return ConfigMgrReboot.From(output.ReturnValue, output.OutParameters, $"cim://{HostName} {ConfigMgrNamespace}:CCM_ClientUtilities.DetermineIfRebootPending()");
    }

    public void Dispose() => (_queries as IDisposable)?.Dispose();

    /// <summary>Null when the process ended since it was listed, or Windows would not name its owner (System, Idle).</summary>
    private async Task<string?> OwnerAsync(string handle, ProcessInfo process, CancellationToken cancellationToken)
    {
        CimMethodOutput output;
        try
        {
            output = await _cim.InvokeAsync(
                Cimv2,
                "Win32_Process",
                new Dictionary<string, object>(StringComparer.Ordinal) { ["Handle"] = handle },
                "GetOwner",
                new Dictionary<string, object>(StringComparer.Ordinal),
                $"ask Win32_Process {process.Name} ({process.ProcessId}) for its owner",
                cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex) when (ex.InnerException is CimCallException inner && CimErrors.Classify(inner) == CimFailureKind.NotFound)
        {
            return null;
        }

        if (output.ReturnValue is not (uint)0 and not 0)
        {
            return null;
        }

        var user = output.OutParameters.GetValueOrDefault("User") as string;
        var domain = output.OutParameters.GetValueOrDefault("Domain") as string;
        return string.IsNullOrEmpty(user) ? null : string.IsNullOrEmpty(domain) ? user : $@"{domain}\{user}";
    }

    private async Task<IReadOnlyList<string>> SubfoldersAsync(string folder, CancellationToken cancellationToken)
    {
        // Win32_Directory is filtered on Drive and Path ("\program files\dotnet\shared\"), which WMI answers from an index.
        var drive = folder[..2];
        var path = folder[2..].TrimEnd('\\') + @"\";
        var rows = await QueryAsync(
            $"SELECT Name FROM Win32_Directory WHERE Drive = {CimValues.WqlString(drive)} AND Path = {CimValues.WqlString(path)}",
            "Win32_Directory",
            cancellationToken).ConfigureAwait(false);
        return rows
            .Select(r => CimValues.RequiredString(r, HostName, "Win32_Directory", "Name"))
            .Select(name => name[(name.LastIndexOf('\\') + 1)..])
            .Where(name => name.Length > 0)
            .ToList();
    }

    private Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string wql, string className, CancellationToken cancellationToken) =>
        _cim.QueryAsync(Cimv2, wql, $"query {className}", cancellationToken);

    private IReadOnlyDictionary<string, object?> Single(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, string className) => rows.Count switch
    {
        1 => rows[0],
        0 => throw new HostFactsException($"{HostName}: CIM {className} returned no instance"),
        _ => throw new HostFactsException($"{HostName}: CIM {className} returned {rows.Count} instances, expected one"),
    };
}
