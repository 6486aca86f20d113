using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>A check-mode verdict on the facts prepare's backup step reads before writing (<see cref="BackupPreflight"/>):
/// the same judgement, so check and prepare never disagree.</summary>
public abstract class BackupPreflightCheck : ICheck
{
    public abstract string Id { get; }
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
        return Judge(preflight, context);
    }

    protected abstract CheckOutcome Judge(BackupPreflight preflight, CheckContext context);
}
