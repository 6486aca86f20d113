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
}

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

/// <summary>A Windows service; State is Running, Stopped, …; StartMode Auto, Manual, Disabled.</summary>
public sealed record ServiceInfo(string Name, string DisplayName, string State, string StartMode, string? PathName);
