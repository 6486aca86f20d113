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

    /// <summary>Nothing runs, and orch-rb02's Runbook Service takes a stop and never finishes it (StopPending, its
    /// process still there): the 2022 hang the release notes document for omonitor/oremoting.</summary>
    public static SandboxOrchestratorProfile StopHangs { get; } = Quiet with
    {
        Services = [.. Services.Select(s => s.Host == "orch-rb02" && s.Name == SandboxOrchestrator.RunbookServiceName ? s with { HangsOnStop = true } : s)],
    };

    /// <summary>Nothing runs, and orch-ms01's Runbook Server Monitor takes a stop and never finishes it (StopPending, its
    /// process still there): the known issue of Orchestrator 2022's release notes, on the service it names.</summary>
    public static SandboxOrchestratorProfile MonitorStopHangs { get; } = Quiet with
    {
        Services = [.. Services.Select(s => s.Host == "orch-ms01" && s.Name == "omonitor" ? s with { HangsOnStop = true } : s)],
    };

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

    /// <summary>Integration pack ids of the upgrade-2025-gaps scenario (dbo.CAPS.UniqueID).</summary>
    public static readonly Guid ActiveDirectoryPack = new("c1a9e3f0-2019-4d11-8a01-00000000ad19");
    public static readonly Guid OperationsManagerPack = new("c1a9e3f0-2019-4d11-8a01-00000000c019");
    public static readonly Guid ExchangeAdminPack = new("c1a9e3f0-2022-4d11-8a01-00000000ea22");

    /// <summary>Quiet, with what upgrades to 2025 trip over in the database: Month-end close checked out in Runbook
    /// Designer by CONTOSO\jdoe, and two integration packs built for 2019 (Active Directory, Operations Manager) whose
    /// activities three runbooks use, beside an Exchange Admin pack built for 2022.</summary>
    public static SandboxOrchestratorProfile Upgrade2025Gaps { get; } = Quiet with
    {
        Runbooks = [.. Runbooks.Select(r => r.Name == "Month-end close"
            ? r with { CheckedOutBy = @"CONTOSO\jdoe", CheckedOutTime = new DateTime(2026, 11, 20, 16, 42, 0, DateTimeKind.Utc) }
            : r)],
        IntegrationPacks =
        [
            new(ActiveDirectoryPack, "Active Directory", "10.19.25.0", [new("d0000000-0000-4000-8000-0000000ad001"), new("d0000000-0000-4000-8000-0000000ad002")]),
            new(OperationsManagerPack, "System Center Operations Manager", "10.19.38.0", [new("d0000000-0000-4000-8000-00000000c001")]),
            new(ExchangeAdminPack, "Exchange Admin", "10.22.1.0", [new("d0000000-0000-4000-8000-0000000ea001")]),
        ],
        Activities =
        [
            new(new("e0000000-0000-4000-8000-000000000001"), "New VM request", "Create User", new("d0000000-0000-4000-8000-0000000ad001")),
            new(new("e0000000-0000-4000-8000-000000000002"), "New VM request", "Add User To Group", new("d0000000-0000-4000-8000-0000000ad002")),
            new(new("e0000000-0000-4000-8000-000000000003"), "Nightly cleanup", "Disable User", new("d0000000-0000-4000-8000-0000000ad002")),
            new(new("e0000000-0000-4000-8000-000000000004"), "Monitor incident queue", "Monitor Alert", new("d0000000-0000-4000-8000-00000000c001")),
            new(new("e0000000-0000-4000-8000-000000000005"), "Month-end close", "Send Mail", new("d0000000-0000-4000-8000-0000000ea001")),
        ],
    };

    private static SandboxRunbook Runbook(string id, string path, bool monitor) =>
        new(new Guid(id), path[(path.LastIndexOf('\\') + 1)..], path, monitor);
}
