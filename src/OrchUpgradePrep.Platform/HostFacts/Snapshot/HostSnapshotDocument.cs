using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>host.json: the facts of a snapshot that the registry does not hold (docs/snapshots.md).
/// Every section is optional; a check that needs a missing one fails with <c>error</c>, naming it.</summary>
public sealed record HostSnapshotDocument
{
    public const int CurrentSchemaVersion = 1;

    public required int SchemaVersion { get; init; }
    public string? HostName { get; init; }
    public DateTimeOffset? CapturedAt { get; init; }
    public OperatingSystemSection? OperatingSystem { get; init; }
    public HardwareSection? Hardware { get; init; }
    public IReadOnlyList<VolumeFacts>? Volumes { get; init; }
    public IReadOnlyList<DotNetRuntime>? DotnetRuntimes { get; init; }
    public IReadOnlyList<ProcessInfo>? Processes { get; init; }
    public IReadOnlyList<SessionInfo>? Sessions { get; init; }
    public IReadOnlyList<ServiceInfo>? Services { get; init; }

    /// <summary>DetermineIfRebootPending as the export script called it on the host; clientPresent false = no client.</summary>
    public ConfigMgrRebootSection? ConfigMgrReboot { get; init; }

    /// <summary>HKLM keys the export script found absent (reg export cannot export a key that does not exist),
    /// e.g. <c>SOFTWARE\Microsoft\InetStp</c> on a host without IIS. They and everything below them read as absent.</summary>
    public IReadOnlyList<string>? AbsentRegistryKeys { get; init; }

    /// <summary>Local groups the export script read (Administrators, OrchestratorSystemGroup): name → direct members.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<GroupMember>>? LocalGroups { get; init; }

    /// <summary>Accounts whose state the export script could read (local accounts; domain accounts where it asked AD).</summary>
    public IReadOnlyList<AccountSection>? Accounts { get; init; }

    /// <summary>The DSC LCM as the export script read it; present false = no DSC on the host.</summary>
    public DscSection? DscLocalConfigurationManager { get; init; }

    /// <summary>Whether files exist on the host, by path (the sources of pending file renames).</summary>
    public IReadOnlyDictionary<string, bool>? Files { get; init; }

    public sealed record AccountSection(string Name, bool? LockedOut = null, bool? Disabled = null, bool? PasswordExpired = null);

    public sealed record DscSection(bool Present, string? LcmState = null);

    public sealed record OperatingSystemSection(string Caption, string Version, int Build, string? InstallationType = null);

    public sealed record ConfigMgrRebootSection(bool ClientPresent, uint? ReturnValue = null, bool? RebootPending = null, bool? IsHardRebootPending = null);

    public sealed record HardwareSection(long TotalPhysicalMemoryBytes, int CpuCores, int LogicalProcessors, int MaxClockSpeedMHz);
}
