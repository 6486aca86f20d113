using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>What prepare's backup step is asked to do, from the environment's policies and the run's overrides.</summary>
public sealed record BackupPreparationOptions
{
    public required string EnvironmentName { get; init; }
    public required SqlConfig Sql { get; init; }
    public required BackupPolicy Policy { get; init; }
    public VerifyLevel Verify { get; init; } = VerifyLevel.Verifyonly;
    public TargetVersion Target { get; init; } = TargetVersion.V2022;

    /// <summary>With <see cref="Verify"/> restore: the other instance the test restore runs on (as the config names it);
    /// null = the Orchestrator database's own instance. Its connector is given to <see cref="BackupPreparation"/>.</summary>
    public string? RestoreServer { get; init; }

    /// <summary>From a pipeline secret (ORCHPREP_SMK_PASSWORD); null → the service master key is not backed up (warning).</summary>
    public string? ServiceMasterKeyPassword { get; init; }

    /// <summary>BACKUP and RESTORE of a large database take hours: the command timeout is long, cancellation is the brake.</summary>
    public TimeSpan StatementTimeout { get; init; } = DefaultStatementTimeout;

    /// <summary>The command timeout prepare gives BACKUP and RESTORE (backup.database-size warns when its estimate exceeds it).</summary>
    public static TimeSpan DefaultStatementTimeout { get; } = TimeSpan.FromHours(6);

    public int StatsPercent { get; init; } = 5;
}

/// <summary>One progress line of a long step: step name ("backup", "verify", "restore", "sha256") and percent when known.</summary>
public sealed record BackupProgress(string Step, int? Percent, string Text);

/// <summary>What prepare's backup step did: per-step verdicts (backup.* results), actions taken, and the report's backup section.</summary>
public sealed record BackupPreparationResult(
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<ActionRecord> Actions,
    BackupSummary? Summary,
    bool Cancelled);
