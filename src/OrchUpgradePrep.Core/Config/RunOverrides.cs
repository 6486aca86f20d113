using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Config;

/// <summary>Run-time settings that win over the file (CLI flag, then <c>ORCHPREP_&lt;OPTION&gt;</c>); null leaves the file's value.</summary>
public sealed record RunOverrides(
    TargetVersion? Target = null,
    DrainMode? Drain = null,
    TimeSpan? DrainTimeout = null,
    string? BackupDirectory = null,
    VerifyLevel? Verify = null,
    int? TargetUpdateRollup = null,
    string? RestoreServer = null)
{
    /// <summary>No overrides: the environment as the file describes it.</summary>
    public static RunOverrides None { get; } = new();
}
