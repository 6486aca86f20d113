namespace OrchUpgradePrep.Sandbox.Orchestrator;

/// <summary>A runbook of the simulated Orchestrator (dbo.POLICIES / the web service's Runbooks). <paramref name="CheckedOutBy"/>:
/// the user who has it checked out in Runbook Designer (POLICIES.CheckOutUser, UNCONFIRMED column), null = checked in.</summary>
public sealed record SandboxRunbook(Guid Id, string Name, string Path, bool IsMonitor, string? CheckedOutBy = null, DateTime? CheckedOutTime = null);

/// <summary>A registered integration pack (dbo.CAPS, UNCONFIRMED name) and the activity types it brings
/// (dbo.OBJECTTYPES rows whose PrimaryGroup is the pack's id, UNCONFIRMED).</summary>
public sealed record SandboxIntegrationPack(Guid Id, string Name, string Version, IReadOnlyList<Guid> ObjectTypes);

/// <summary>An activity of a runbook (dbo.OBJECTS: ParentID = the runbook, ObjectType = its activity type).</summary>
public sealed record SandboxActivity(Guid Id, string RunbookName, string Name, Guid ObjectType);

/// <summary>A runbook server (dbo.ACTIONSERVERS / RunbookServers).</summary>
public sealed record SandboxRunbookServer(Guid Id, string Computer);

/// <summary>
/// A job the scenario starts with: which runbook on which server, how long ago it started and how long it runs
/// (null = until stopped, as a monitor does). <see cref="Orphaned"/>: its instance was left "running" by a runbook
/// service that stopped abruptly (POLICY_REQUEST_HISTORY.Active = 0). <see cref="Pending"/>: queued, not yet on a server.
/// </summary>
public sealed record SandboxJobSeed(string RunbookName, string Server, TimeSpan StartedAgo, TimeSpan? RunsFor, bool Orphaned = false, bool Pending = false);

/// <summary>A Windows service of a sandbox host as the scenario starts it.</summary>
/// <param name="HangsOnStop">The documented 2022 case (docs/facts/orchestrator-versions.md#services-that-do-not-stop): a stop
/// leaves it StopPending with its process still there until that process is ended.</param>
public sealed record SandboxServiceSeed(string Host, string Name, string DisplayName, bool Running = true, bool HangsOnStop = false);

/// <summary>
/// A runbook that something keeps starting again (a schedule, a parent runbook's loop): each time one of its jobs is
/// stopped, a new job of it starts at once on the same runbook server, <see cref="Times"/> times (null = every time).
/// </summary>
public sealed record SandboxJobRestarts(string RunbookName, int? Times);

/// <summary>What the simulated Orchestrator holds when the scenario starts.</summary>
public sealed record SandboxOrchestratorProfile(
    IReadOnlyList<SandboxRunbook> Runbooks,
    IReadOnlyList<SandboxRunbookServer> Servers,
    IReadOnlyList<SandboxJobSeed> Jobs,
    IReadOnlyList<SandboxServiceSeed> Services)
{
    /// <summary>Runbooks started again each time their job is stopped (none by default).</summary>
    public IReadOnlyList<SandboxJobRestarts> Restarts { get; init; } = [];

    /// <summary>Registered integration packs (none by default: only Orchestrator's built-in activities).</summary>
    public IReadOnlyList<SandboxIntegrationPack> IntegrationPacks { get; init; } = [];

    /// <summary>Runbook activities that come from an integration pack (built-in activities are not listed).</summary>
    public IReadOnlyList<SandboxActivity> Activities { get; init; } = [];
}

/// <summary>One job as it is now (immutable snapshot). Times are UTC.</summary>
public sealed record SandboxJob(
    Guid Id,
    Guid RunbookId,
    Guid RunbookServerId,
    string Status,
    DateTime CreationTime,
    DateTime LastModifiedTime,
    string CreatedBy,
    SandboxRunbookInstance? Instance);

/// <summary>The job's runbook instance (dbo.POLICYINSTANCES); null TimeEnded = running.</summary>
public sealed record SandboxRunbookInstance(
    Guid Id,
    int SeqNumber,
    Guid RunbookServerId,
    DateTime TimeStarted,
    DateTime? TimeEnded,
    string? Status,
    int ProcessId,
    bool Orphaned);

/// <summary>What a cancel request did.</summary>
public enum SandboxCancelOutcome
{
    Canceled,
    NotFound,

    /// <summary>The job is not Running (the service answers 400: "the only valid transition is … Running to Canceled").</summary>
    InvalidTransition,

    /// <summary>If-Match named another LastModifiedTime (412).</summary>
    StaleETag,
}

/// <summary>A Windows service of a sandbox host as it is now.</summary>
/// <summary>A Windows service of a sandbox host as it is now: Running, StopPending (a stop it does not finish) or Stopped,
/// with the ID of its own process (0 when stopped).</summary>
public sealed record SandboxService(string Host, string Name, string DisplayName, bool Running, bool StopPending = false, int ProcessId = 0, bool HangsOnStop = false)
{
    public string State => StopPending ? "StopPending" : Running ? "Running" : "Stopped";
}
