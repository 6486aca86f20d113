using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// The services block starts stops besides the Runbook Service on every runbook server: on a management server whose
/// installed Orchestrator is 2022 or later, the Runbook Server Monitor and the Remoting Service, which 2022's release
/// notes say may not stop (docs/facts/orchestrator-versions.md#services-that-do-not-stop), so a hang shows in prepare,
/// before the upgrade window, rather than in setup. The installed version is read where the run is composed
/// (Catalog/ManagementServiceStops.cs); this folder only carries out the list (docs/adr/0024-stop-omonitor-oremoting-on-2022.md).
/// </summary>
public sealed record ServiceStopPlan
{
    /// <summary>Only the Runbook Services: no management server, or no plan was made.</summary>
    public static ServiceStopPlan RunbookServiceOnly { get; } = new();

    /// <summary>The management services to stop, in order, after every Runbook Service.</summary>
    public IReadOnlyList<PlannedServiceStop> Stops { get; init; } = [];

    /// <summary>Why a management server's services are not stopped (installed version 2019 or older, or unknown): block
    /// starts' evidence.</summary>
    public IReadOnlyList<Evidence> Reasons { get; init; } = [];

    /// <summary>The Runbook Server Monitor (display name UNCONFIRMED: docs/facts/orchestrator-versions.md#services).</summary>
    public static readonly RunbookServiceIdentity RunbookServerMonitor = new("omonitor", "Orchestrator Runbook Server Monitor", "RunbookServerMonitorService.exe");

    /// <summary>The Remoting Service (display name UNCONFIRMED: docs/facts/orchestrator-versions.md#services).</summary>
    public static readonly RunbookServiceIdentity RemotingService = new("oremoting", "Orchestrator Remoting Service", "OrchestratorRemotingService.exe");

    /// <summary>What a management server with 2022 or later stops, in order.</summary>
    public static IReadOnlyList<RunbookServiceIdentity> ManagementServices { get; } = [RunbookServerMonitor, RemotingService];
}

/// <summary>One service to stop on one host (the host's name as in the environment).</summary>
public sealed record PlannedServiceStop(string Host, RunbookServiceIdentity Service);
