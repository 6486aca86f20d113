using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.Backup;

namespace OrchUpgradePrep.Checks.Backup;

/// <summary>The SQL login may BACKUP the database, run RESTORE VERIFYONLY/HEADERONLY (CREATE DATABASE) and, for
/// verify: restore, restore a copy; CONTROL SERVER for the service master key is a warning when missing.</summary>
public sealed class BackupPermissionsCheck : ICheck
{
    public string Id => BackupCheckIds.Permissions;
    public string Title => BackupCheckIds.TitleOf(Id);
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is not { } config)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        var preflight = await BackupPreflight.ReadAsync(session, config, cancellationToken).ConfigureAwait(false);
        return BackupJudgements.Permissions(preflight, context.Environment.Policies.Verify, context.Sql.Description);
    }
}
