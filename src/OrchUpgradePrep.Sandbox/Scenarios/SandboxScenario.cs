using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.Host;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>A reproducible simulated environment: hosts, target, and faults to inject.</summary>
internal sealed record SandboxScenario
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public TargetVersion Target { get; init; } = TargetVersion.V2022;
    public required Func<IReadOnlyList<SandboxHost>> Hosts { get; init; }

    /// <summary>Latency added to every host-fact read, to show progress and cancellation on slow hosts.</summary>
    public TimeSpan HostLatency { get; init; }

    /// <summary>The simulated SQL Server that holds the Orchestrator database (every scenario has one).</summary>
    public SqlServer.SandboxSqlProfile Sql { get; init; } = SandboxSqlProfiles.Healthy;

    /// <summary>The SQL login orchprep connects as (SQL authentication with the sandbox's password): whose grants
    /// <see cref="SqlServer.SandboxSqlProfile.SecurityScript"/> decides.</summary>
    public string SqlLogin { get; init; } = SqlServer.SandboxSqlServerOptions.DefaultLogin;

    /// <summary>Delay before the SQL Server answers each statement.</summary>
    public TimeSpan SqlLatency { get; init; }

    /// <summary>What the simulated Orchestrator holds and runs when the scenario starts.</summary>
    public Orchestrator.SandboxOrchestratorProfile Orchestrator { get; init; } = SandboxOrchestratorProfiles.Quiet;

    /// <summary>The web service: absent (refuses connections, the database path must take over) or faulty.</summary>
    public SandboxWebMode Web { get; init; } = SandboxWebMode.Up;

    /// <summary>Faults of the web service when it is up; null = those of <see cref="Web"/>.</summary>
    public WebService.SandboxWebServiceFaults? WebFaults { get; init; }

    /// <summary>Hosts of the scenario that cannot be reached, with the failure a remote read gives (no snapshot is written for them).</summary>
    public IReadOnlyDictionary<string, string> UnreachableHosts { get; init; } = new Dictionary<string, string>();

    /// <summary>Hosts that answer but refuse orchprep's account: every CIM query and registry read is access denied, and
    /// their services can be listed but not stopped or started (no snapshot is written for them).</summary>
    public IReadOnlyList<string> AccessDeniedHosts { get; init; } = [];

    /// <summary>How long a service stop or start takes to reach its state (the control itself is taken at once).</summary>
    public TimeSpan ServiceLatency { get; init; }

    /// <summary>policies.services.stopTimeout of the sandbox environment (null: the default, 2m).</summary>
    public TimeSpan? ServiceStopTimeout { get; init; }

    /// <summary>How long an Orchestrator program takes to close once prepare --close-programs asks it to.</summary>
    public TimeSpan ProgramLatency { get; init; }

    /// <summary>Whether an orchprep service master key backup is already in the backup folder (the ready scenario).</summary>
    public bool KeyBackupPresent { get; init; }

    /// <summary>A second SQL Server instance in the world, on another machine, that prepare's test restore runs on
    /// (policies.verify: { level: restore, restoreServer: its name }); null = none.</summary>
    public SandboxRestoreServer? RestoreServer { get; init; }
}

/// <summary>The restore server of a scenario: its instance (name, version, free space) and whether it reaches the
/// Orchestrator SQL Server's backup folder through a share.</summary>
internal sealed record SandboxRestoreServer(SqlServer.SandboxSqlProfile Profile, bool SharesBackupFolder);

/// <summary>How the scenario's web service behaves.</summary>
internal enum SandboxWebMode
{
    Up,

    /// <summary>Nothing listens on its port: connection refused.</summary>
    Down,

    /// <summary>Every 3rd request answers 503 and every 7th connection is reset.</summary>
    Flaky,
}
