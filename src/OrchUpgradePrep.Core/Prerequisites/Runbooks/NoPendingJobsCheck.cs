using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>No job waits in the queue: a pending job would start on a runbook server in the middle of the upgrade.</summary>
public sealed class NoPendingJobsCheck : RunbookSnapshotCheck
{
    public override string Id => "runbooks.none-pending";
    public override string Title => "No runbook job is pending";

    protected override CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context)
    {
        var pending = snapshot.Pending.ToList();
        return pending.Count == 0
            ? CheckOutcome.Met("No runbook job is pending.", new Evidence("sources", snapshot.SourcesText))
            : CheckOutcome.Unmet(
                $"{pending.Count} runbook job(s) pending: {string.Join(", ", pending.Take(5).Select(j => j.RunbookPath ?? j.RunbookName))}{(pending.Count > 5 ? ", …" : string.Empty)}.",
                "A pending job starts as soon as a runbook server takes it. Cancel it (Runbook Designer or console: Stop), or run `orchprep prepare --drain stop`, which cancels what is still queued after the drain timeout.",
                EvidenceFor(pending, snapshot));
    }
}
