namespace OrchUpgradePrep.Ports;

/// <summary>
/// Everything the checks know about one host, read through one port so that a live Windows host,
/// a remote one and an offline snapshot look the same. Each method reads on demand; a fact the
/// source cannot give throws <see cref="HostFactsException"/> (the check becomes <c>error</c>).
/// </summary>
public interface IHostFacts
{
    string HostName { get; }

    /// <summary>Where these facts come from, for evidence: "snapshot C:\snap\orch-ms01", "live", "cim://host".</summary>
    string SourceDescription { get; }

    IRegistry Registry { get; }

    Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken);

    Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken);

    /// <summary>.NET (Core) runtimes installed, as <c>dotnet --list-runtimes</c> lists them.</summary>
    Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken);

    /// <summary>The Configuration Manager client's <c>CCM_ClientUtilities.DetermineIfRebootPending()</c> (root\ccm\ClientSDK);
    /// null when no client is installed (the namespace does not exist): not applicable, never "failed".</summary>
    Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken);

    /// <summary>The direct members of a local group (live: Win32_GroupUser; snapshot: host.json localGroups). Nested
    /// domain groups are listed as groups, not expanded. Throws when the group cannot be read or was not exported.</summary>
    Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken);

    /// <summary>Whether an account is locked out, disabled or has an expired password, where this source can tell
    /// (local accounts live; host.json accounts); null = not readable here (a domain account), never "fine".</summary>
    Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken);

    /// <summary>The DSC Local Configuration Manager's state (MSFT_DSCLocalConfigurationManager.GetMetaConfiguration()
    /// LCMState); null when the host has no DSC (the namespace does not exist): not applicable, never "failed".</summary>
    Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="paths"/> exist as files on the host (live File.Exists; snapshot host.json
    /// files). Throws when the source cannot tell (a snapshot without the files section).</summary>
    Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken);

    /// <summary>The requests in the host's IIS W3C logs whose URI stem starts with <see cref="IisLogQuery.UriStemPrefix"/>,
    /// logged at or after <see cref="IisLogQuery.Since"/> (live: every site's log folder from applicationHost.config;
    /// snapshot: its <c>iis-logs</c> folder). Bounded by <see cref="IisLogQuery.MaxEntries"/>. Throws when the logs
    /// cannot be read (no folder, access denied, a remote host whose files CIM cannot read).</summary>
    Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken);
}

/// <summary>Which IIS log requests to return: URI stem prefix (ordinal, case-insensitive), the oldest time, and the
/// most matching entries to keep before the scan stops (then <see cref="IisLogScan.Truncated"/>).</summary>
public sealed record IisLogQuery(string UriStemPrefix, DateTimeOffset Since, int MaxEntries = IisLogQuery.DefaultMaxEntries)
{
    public const int DefaultMaxEntries = 100_000;
}

/// <summary>One logged request; a field the log did not carry (or logged as <c>-</c>) is null. Time is UTC (W3C logs
/// are always UTC). UserAgent is as logged: IIS writes its spaces as <c>+</c>.</summary>
public sealed record IisLogEntry(DateTimeOffset Time, string? ClientIp, string? UserAgent, string? UserName, string UriStem, int? Status);

/// <summary>What a scan found and read: the entries, the files read (as the source names them), lines that could not be
/// parsed, whether the scan stopped at the bound, and notes (a site not logging in W3C format, a folder not there).</summary>
public sealed record IisLogScan(
    IReadOnlyList<IisLogEntry> Entries,
    IReadOnlyList<string> FilesRead,
    int BadLines,
    bool Truncated,
    string Source,
    IReadOnlyList<string> Notes);

/// <summary>A member of a local group: <c>CONTOSO\jdoe</c> or <c>ORCH-MS01\Administrator</c>; Kind is User or Group.</summary>
public sealed record GroupMember(string Name, string Kind = "User");

/// <summary>An account's state as the source read it; a null flag = that part is unknown.</summary>
public sealed record AccountState(string Account, bool? LockedOut, bool? Disabled, bool? PasswordExpired, string Source);

/// <summary>The DSC LCM state (Idle, Busy, PendingReboot, PendingConfiguration) and where it was read.</summary>
public sealed record DscLcmState(string LcmState, string Source);

/// <summary>What DetermineIfRebootPending returned: ReturnValue 0 = the call worked; then either flag = a restart is pending.</summary>
public sealed record ConfigMgrRebootState(uint ReturnValue, bool RebootPending, bool IsHardRebootPending, string Source);

/// <summary>Win32_OperatingSystem-like facts. <see cref="Build"/> decides the version (ProductName lies on 11).</summary>
public sealed record OperatingSystemFacts(
    string Caption,
    string Version,
    int Build,
    string? InstallationType,
    string Source);

public sealed record HardwareFacts(
    long TotalPhysicalMemoryBytes,
    int CpuCores,
    int LogicalProcessors,
    int MaxClockSpeedMHz,
    string Source);

/// <summary>A fixed volume: <c>C:</c>, its size and free space (quota-aware where the source knows).</summary>
public sealed record VolumeFacts(string Name, long SizeBytes, long FreeBytes);

public sealed record DotNetRuntime(string Name, string Version);

public sealed record ProcessInfo(int ProcessId, string Name, string? ExecutablePath, string? UserName, int SessionId);

/// <summary>A logon session; State is the WTS state name (Active, Disconnected, …).</summary>
public sealed record SessionInfo(int SessionId, string? UserName, string State, string? ClientName);

/// <summary>A Windows service; State is Running, Stopped, …; StartMode Auto, Manual, Disabled; StartName the account it
/// logs on as (Win32_Service.StartName: LocalSystem, NT AUTHORITY\NetworkService, CONTOSO\svc-orch, CONTOSO\gmsa$), null = not read.
/// ProcessId is the process the Service Control Manager reports for it (Win32_Service.ProcessId, QueryServiceStatusEx's
/// dwProcessId: 0 when it has none), null = not read; SharesProcess whether its type is a shared process (svchost-style,
/// SERVICE_WIN32_SHARE_PROCESS), null = not read.</summary>
public sealed record ServiceInfo(string Name, string DisplayName, string State, string StartMode, string? PathName, string? StartName = null,
    int? ProcessId = null, bool? SharesProcess = null);
