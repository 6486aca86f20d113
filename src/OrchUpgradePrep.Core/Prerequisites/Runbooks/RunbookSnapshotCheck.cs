using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// The runbooks checks share one read of the environment's jobs per run (<see cref="RunbookInventory.FirstSnapshotAsync"/>):
/// skip when neither the web service nor SQL is configured, error when no source answered, else judge the snapshot.
/// </summary>
public abstract class RunbookSnapshotCheck : ICheck
{
    public abstract string Id { get; }
    public abstract string Title { get; }
    public Prerequisite Prerequisite => Prerequisite.Runbooks;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Runbooks is not { IsConfigured: true } inventory)
        {
            return CheckOutcome.Skipped("not configured: the environment has neither webService: nor sql:, so its runbook jobs cannot be read.");
        }

        var snapshot = await inventory.FirstSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.IsUnknown)
        {
            return CheckOutcome.Error(
                "No source of runbook jobs could be read, so nothing can be said about running runbooks.",
                [.. snapshot.Sources.Select(s => new Evidence(s.Name, $"{s.Description}: {s.Error}"))]);
        }

        return Judge(snapshot, context);
    }

    protected abstract CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context);

    /// <summary>Evidence for the jobs, then which sources answered.</summary>
    protected static Evidence[] EvidenceFor(IEnumerable<Ports.OrchestratorJob> jobs, RunbookSnapshot snapshot) =>
        [.. jobs.Select(JobDescriptions.Evidence), new Evidence("sources", snapshot.SourcesText)];
}
