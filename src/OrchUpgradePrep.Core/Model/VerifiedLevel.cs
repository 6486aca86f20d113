namespace OrchUpgradePrep.Model;

/// <summary>
/// How far a backup was verified (report.json and the backup manifest: backup.verified). The level asked for is
/// <c>VerifyLevel</c> (policies.verify, --verify); this one adds <see cref="None"/> for a verification that failed or was cancelled.
/// </summary>
public enum VerifiedLevel
{
    None,
    Verifyonly,
    Restore,
}
