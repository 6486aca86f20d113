using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Instances a Runbook Service left "running" when it stopped abruptly (POLICY_REQUEST_HISTORY.Active = 0). They never
/// end, so they would hold a drain forever. Only the database knows them.
/// </summary>
public sealed class OrphanedInstancesCheck : RunbookSnapshotCheck
{
    public override string Id => "runbooks.orphans";
    public override string Title => "No orphaned runbook instance";

    protected override CheckOutcome Judge(RunbookSnapshot snapshot, CheckContext context)
    {
        if (snapshot.Database is null)
        {
            return CheckOutcome.Skipped("not configured: orphaned instances are found in the database, and the environment has no sql: section.");
        }

        if (!snapshot.Database.Succeeded)
        {
            return CheckOutcome.Error($"The database could not be read: {snapshot.Database.Error}", new Evidence("database", snapshot.Database.Description));
        }

        var orphans = snapshot.Jobs.Where(j => j.IsOrphaned).ToList();
        return orphans.Count == 0
            ? CheckOutcome.Met("No runbook instance is orphaned.", new Evidence("database", snapshot.Database.Description))
            : CheckOutcome.Unmet(
                $"{orphans.Count} runbook instance(s) orphaned: marked running, but their runbook service no longer runs them.",
                "With the Runbook Service of their server stopped, `orchprep prepare` runs the documented clean-up " +
                "([Microsoft.SystemCenter.Orchestrator.Runtime.Internal].[ClearOrphanedRunbookInstances]); by hand: Runbook Designer, Orchestration Console or that procedure.",
                EvidenceFor(orphans, snapshot));
    }
}
