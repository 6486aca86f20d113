using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>The backup folder has room for a full backup: used pages of the database (plus headroom) against the
/// free space SQL Server reports for that volume, or the runner sees on the share. Also notes the recovery model.</summary>
public sealed class BackupFreeSpaceCheck : BackupPreflightCheck
{
    public override string Id => BackupCheckIds.FreeSpace;

    protected override CheckOutcome Judge(BackupPreflight preflight, CheckContext context) =>
        BackupJudgements.FreeSpace(
            preflight,
            context.Environment.Policies.Backup.Directory,
            context.FileSystem ?? new System.IO.Abstractions.FileSystem(),
            context.Sql!.Description);
}
