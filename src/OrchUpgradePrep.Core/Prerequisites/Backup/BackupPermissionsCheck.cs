using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>The SQL login may BACKUP the database, run RESTORE VERIFYONLY/HEADERONLY (CREATE DATABASE) and, for
/// verify: restore, restore a copy; CONTROL SERVER for the service master key is a warning when missing.</summary>
public sealed class BackupPermissionsCheck : BackupPreflightCheck
{
    public override string Id => BackupCheckIds.Permissions;

    protected override CheckOutcome Judge(BackupPreflight preflight, CheckContext context) =>
        BackupJudgements.Permissions(preflight, context.Environment.Policies.Verify, context.Sql!.Description);
}
