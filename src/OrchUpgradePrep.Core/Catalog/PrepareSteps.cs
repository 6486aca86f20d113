using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Catalog;

/// <summary>
/// prepare's steps in the order they must run — close programs, the runbook steps (drain, block new starts, clear
/// orphans), the backup (+ verify, save keys), the checks — with what makes each safe to start.
/// </summary>
public static class PrepareSteps
{
    public const string NotDrainedReason =
        "not started: runbooks did not drain (runbooks.drained); the upgrade cannot go ahead, so prepare stops before the long backup. Run prepare again once they have.";

    public const string StartsNotBlockedReason =
        "not started: new runbook starts are not blocked on every runbook server, or a service block starts stops did not stop (runbooks.starts-blocked); the upgrade cannot go ahead, so prepare stops before the backup. Fix the block and run prepare again.";

    public const string RunbooksCancelledReason = "not started: the run was cancelled while closing programs";

    public const string RunbooksCancelledNote =
        "prepare was cancelled while closing programs, before its runbook steps: it stopped no runbook and no Runbook Service, so `orchprep resume` has nothing to undo.";

    /// <summary>The steps in prepare's order, the runbook steps and the backup given their conditions.</summary>
    public static IReadOnlyList<RunStep> InOrder(RunStep closePrograms, RunStep runbooks, RunStep backup, RunStep checks) =>
    [
        closePrograms,
        // A cancel before the runbook steps stops prepare there: no drain starts, so nothing is left for resume.
        runbooks with { CancelledReason = RunbooksCancelledReason, CancelledNote = RunbooksCancelledNote },
        // The backup is the pre-upgrade copy only when nothing can start: after a drain and blocked starts. When the block
        // failed on a host (access denied, a service that would not stop), a backup now could be overtaken by new jobs, and
        // its retention could rotate out an earlier good one; the upgrade cannot go ahead anyway.
        backup with
        {
            Requires =
            [
                new StepPrecondition(RunbookStepIds.Drained, NotDrainedReason),
                new StepPrecondition(RunbookStepIds.StartsBlocked, StartsNotBlockedReason),
            ],
        },
        // The re-check is bounded by the run's deadline (--deadline), as check's checks are; the steps before have their own timeouts.
        checks with { UnderDeadline = true },
    ];

    /// <summary>What the runbook steps left unsafe: runbooks still running, or a runbook server still taking new starts.</summary>
    public static IReadOnlyList<string> HazardsLeftBy(RunbookPreparationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var hazards = new List<string>();
        if (!result.Drained)
        {
            hazards.Add(RunbookStepIds.Drained);
        }

        if (result.Checks.Any(c => c.Id == RunbookStepIds.StartsBlocked && c.Status is CheckStatus.Unmet or CheckStatus.Error))
        {
            hazards.Add(RunbookStepIds.StartsBlocked);
        }

        return hazards;
    }
}
