using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>No runbook job is running (monitors and orphans are their own checks). A job either source sees running counts.</summary>
public sealed class NoRunningJobsCheck : RunbookSnapshotCheck
{
    public override string Id => "runbooks.none-running";
    public override string Title => "No runbook job is running";

    protected override CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context)
    {
        var running = snapshot.Running.Where(j => !j.IsMonitor && !j.IsOrphaned).ToList();
        if (running.Count == 0)
        {
            return CheckOutcome.Met("No runbook job is running (monitors and orphaned instances are judged by their own checks).", new Evidence("sources", snapshot.SourcesText));
        }

        var policy = context.Environment.Policies.Drain;
        return CheckOutcome.Unmet(
            $"{running.Count} runbook job(s) running: {string.Join(", ", running.Take(5).Select(j => j.RunbookPath ?? j.RunbookName))}{(running.Count > 5 ? ", …" : string.Empty)}.",
            $"Let them finish, or run `orchprep prepare`: it waits up to {Config.Duration.Format(policy.Timeout)} (policies.drain.timeout) and, with `--drain stop`, stops what still runs. " +
            "By hand: Runbook Designer or the console, Stop on the job.",
            EvidenceFor(running, snapshot));
    }
}
