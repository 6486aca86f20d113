using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Monitor runbooks never end on their own, so a drain cannot wait for them: policy says whether prepare stops them
/// (and resume restarts them) or leaves them, in which case this stays unmet with that reason.
/// </summary>
public sealed class MonitorRunbooksCheck : RunbookSnapshotCheck
{
    public override string Id => "runbooks.monitors";
    public override string Title => "No monitor runbook is running";

    protected override CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context)
    {
        var monitors = snapshot.Running.Where(j => j.IsMonitor && !j.IsOrphaned).ToList();
        var byName = snapshot.Web?.Succeeded != true
            ? " (the database has no monitor flag: runbooks named \"Monitor …\" are taken as monitors, Orchestrator Health Checker's rule)"
            : string.Empty;
        if (monitors.Count == 0)
        {
            return CheckOutcome.Met($"No monitor runbook is running{byName}.", new Evidence("sources", snapshot.SourcesText));
        }

        var remediation = context.Environment.Policies.Drain.Monitors == MonitorPolicy.Stop
            ? "Run `orchprep prepare`: policy monitors: stop stops them and records which ran; `orchprep resume` starts them again after the upgrade."
            : "Policy monitors: leave — orchprep will not stop them. Stop them by hand before the upgrade and start them afterwards, or set policies.drain.monitors: stop.";
        return CheckOutcome.Unmet(
            $"{monitors.Count} monitor runbook(s) running; monitors never finish on their own{byName}.",
            remediation,
            EvidenceFor(monitors, snapshot));
    }
}
