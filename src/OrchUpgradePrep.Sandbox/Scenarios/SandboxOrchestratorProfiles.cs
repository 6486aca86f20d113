using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>
/// The simulated Orchestrator of each scenario: the healthy hosts' runbook servers and services, a handful of
/// runbooks, and what runs when the scenario starts. Ids are fixed so reports and tests can name them.
/// </summary>
internal static class SandboxOrchestratorProfiles
{
    public const string NightlyCleanup = @"\Maintenance\Nightly cleanup";
    public const string NewVmRequest = @"\Provisioning\New VM request";
    public const string IncidentMonitor = @"\Monitors\Monitor incident queue";
    public const string MonthEndClose = @"\Finance\Month-end close";
    public const string LogRotation = @"\Maintenance\Log rotation";

    private static readonly SandboxRunbookServer[] Servers =
    [
        new(new Guid("5b0c6e1a-6f1e-4d8a-9a47-1c2d3e4f5a01"), "ORCH-MS01"),
        new(new Guid("5b0c6e1a-6f1e-4d8a-9a47-1c2d3e4f5a02"), "ORCH-RB02"),
        new(new Guid("5b0c6e1a-6f1e-4d8a-9a47-1c2d3e4f5a03"), "ORCH-RB03"),
    ];

    private static readonly SandboxRunbook[] Runbooks =
    [
        Runbook("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a01", NightlyCleanup, monitor: false),
        Runbook("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a02", NewVmRequest, monitor: false),
        Runbook("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a03", IncidentMonitor, monitor: true),
        Runbook("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a04", MonthEndClose, monitor: false),
        Runbook("0f6e2c1d-8b7a-4c3e-9d21-7a5b3c1e0a05", LogRotation, monitor: false),
    ];

    private static readonly SandboxServiceSeed[] Services =
    [
        new("orch-ms01", "omanagement", "Orchestrator Management Service"),
        new("orch-ms01", "omonitor", "Orchestrator Runbook Server Monitor"),
        new("orch-ms01", "oremoting", "Orchestrator Remoting Service"),
        new("orch-ms01", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
        new("orch-rb02", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
        new("orch-rb03", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
    ];

    /// <summary>A live environment: two short runbooks that finish within seconds and a monitor that never does.</summary>
    public static SandboxOrchestratorProfile Healthy { get; } = new(Runbooks, Servers,
    [
        new("Nightly cleanup", "ORCH-RB02", TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(1)),
        new("New VM request", "ORCH-RB03", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2)),
        new("Monitor incident queue", "ORCH-MS01", TimeSpan.FromDays(6), RunsFor: null),
    ], Services);

    /// <summary>Nothing runs: the quiet window before an upgrade (also every scenario not about runbooks).</summary>
    public static SandboxOrchestratorProfile Quiet { get; } = new(Runbooks, Servers, [], Services);

    /// <summary>The healthy jobs plus a month-end close that runs for two more hours.</summary>
    public static SandboxOrchestratorProfile Busy { get; } = Healthy with
    {
        Jobs = [.. Healthy.Jobs, new SandboxJobSeed("Month-end close", "ORCH-RB02", TimeSpan.FromMinutes(20), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(20))],
    };

    /// <summary>The busy jobs, and the month-end close's schedule starts it again once after its job is stopped.</summary>
    public static SandboxOrchestratorProfile RestartedOnce { get; } = Busy with { Restarts = [new SandboxJobRestarts("Month-end close", Times: 1)] };

    /// <summary>The healthy jobs plus an instance a crashed Runbook Service left "running" two days ago.</summary>
    public static SandboxOrchestratorProfile Orphans { get; } = Healthy with
    {
        Jobs = [.. Healthy.Jobs, new SandboxJobSeed("Log rotation", "ORCH-RB03", TimeSpan.FromDays(2), TimeSpan.FromMinutes(5), Orphaned: true)],
    };

    private static SandboxRunbook Runbook(string id, string path, bool monitor) =>
        new(new Guid(id), path[(path.LastIndexOf('\\') + 1)..], path, monitor);
}
