using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.Backup;

namespace OrchUpgradePrep.Checks.Backup;

/// <summary>The backup folder has room for a full backup: used pages of the database (plus headroom) against the
/// free space SQL Server reports for that volume, or the runner sees on the share. Also notes the recovery model.</summary>
public sealed class BackupFreeSpaceCheck : ICheck
{
    public string Id => BackupCheckIds.FreeSpace;
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
        return BackupJudgements.FreeSpace(
            preflight,
            context.Environment.Policies.Backup.Directory,
            context.FileSystem ?? new System.IO.Abstractions.FileSystem(),
            context.Sql.Description);
    }
}
