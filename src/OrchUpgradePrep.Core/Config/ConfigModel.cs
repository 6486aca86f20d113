using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Config;

/// <summary>A parsed orchprep.yml: many environments, one picked per run (docs/configuration.md).</summary>
public sealed record OrchPrepConfig(string SourcePath, IReadOnlyDictionary<string, EnvironmentConfig> Environments);

/// <summary>One environment. An absent part (no sql:, no webService:) means its checks are skipped as "not configured".</summary>
public sealed record EnvironmentConfig
{
    public required string Name { get; init; }
    public TargetVersion? Target { get; init; }

    /// <summary>The update rollup of <see cref="Target"/> the config or --target named ("2022 UR3" → 3, "2022 RTM" → 0);
    /// null = the newest level orchprep knows of that version.</summary>
    public int? TargetUpdateRollup { get; init; }

    /// <summary>The level the requirement checks judge against; null without a target.</summary>
    public TargetLevel? TargetLevel => Target is { } version ? TargetLevels.Of(version, TargetUpdateRollup) : null;
    public SqlConfig? Sql { get; init; }
    public WebServiceConfig? WebService { get; init; }
    public IReadOnlyList<HostConfig> Hosts { get; init; } = [];
    public PoliciesConfig Policies { get; init; } = new();
}

public enum SqlAuth
{
    Integrated,
    Sql,
}

public enum SqlEncrypt
{
    Optional,
    Mandatory,
    Strict,
}

public sealed record SqlConfig
{
    public required string Server { get; init; }
    public string Database { get; init; } = "Orchestrator";
    public SqlAuth Auth { get; init; } = SqlAuth.Integrated;
    public string? User { get; init; }

    /// <summary>Name of the environment variable that holds the password, never the password.</summary>
    public string? PasswordEnv { get; init; }
    public SqlEncrypt Encrypt { get; init; } = SqlEncrypt.Mandatory;
    public bool TrustServerCertificate { get; init; }
}

public enum WebServiceAuth
{
    Negotiate,
    Basic,
    None,
}

public sealed record WebServiceConfig
{
    public required Uri Url { get; init; }
    public WebServiceAuth Auth { get; init; } = WebServiceAuth.Negotiate;
    public string? UserEnv { get; init; }
    public string? PasswordEnv { get; init; }
}

public sealed record HostConfig
{
    public required string Name { get; init; }
    public IReadOnlyList<HostRole> Roles { get; init; } = [];

    /// <summary>Folder with registry.reg (reg export) and host.json; relative to the config file.
    /// When set, the host is checked offline from it.</summary>
    public string? Snapshot { get; init; }
}

public enum DrainMode
{
    Wait,
    Stop,
}

public enum MonitorPolicy
{
    Stop,
    Leave,
}

public enum BackupCompression
{
    Auto,
    On,
    Off,
}

public enum VerifyLevel
{
    Verifyonly,
    Restore,
}

public sealed record PoliciesConfig
{
    public DrainPolicy Drain { get; init; } = new();
    public BackupPolicy Backup { get; init; } = new();
    public VerifyLevel Verify { get; init; } = VerifyLevel.Verifyonly;

    /// <summary>With <see cref="Verify"/> restore: the SQL Server instance (server, server\instance or server,port) the
    /// test restore runs on instead of the Orchestrator database's own — the rehearsal of a side-by-side upgrade. It is
    /// reached with the sql: section's auth, user, password variable and encryption settings (docs/adr/0022). Null = the
    /// same instance.</summary>
    public string? RestoreServer { get; init; }

    public RestartPolicy Restart { get; init; } = new();

    /// <summary>The account the upgrade will run as (DOMAIN\user), for accounts.upgrade-admin; null = the account orchprep runs as.</summary>
    public string? UpgradeAccount { get; init; }

    public ServicePolicy Services { get; init; } = new();
}

/// <summary>How prepare stops Windows services (docs/adr/0023-services-that-do-not-stop.md).</summary>
public sealed record ServicePolicy
{
    /// <summary>How long prepare waits for a service it stops to report Stopped before it reads the service's process ID
    /// and reports it (or, with --force-stop, ends that process).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

public sealed record DrainPolicy
{
    public DrainMode Mode { get; init; } = DrainMode.Wait;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);
    public MonitorPolicy Monitors { get; init; } = MonitorPolicy.Stop;
}

public sealed record BackupPolicy
{
    public string? Directory { get; init; }
    public int Stripes { get; init; } = 1;
    public BackupCompression Compression { get; init; } = BackupCompression.Auto;
    public int Keep { get; init; } = 3;

    /// <summary>Retention: delete backup files with orchprep's names that no verified manifest vouches for
    /// (fragments of a killed run, failed verifications). False keeps them and warns.</summary>
    public bool RemoveUnverified { get; init; }

    /// <summary>How old the newest verified full backup may be for check mode to call the backup prerequisite met.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);
}

public sealed record RestartPolicy
{
    public IReadOnlyList<SkippedSignal> Skip { get; init; } = [];
}

/// <summary>A restart signal an admin chose to skip, with the reason shown in the report.</summary>
public sealed record SkippedSignal(string Id, string Reason);
