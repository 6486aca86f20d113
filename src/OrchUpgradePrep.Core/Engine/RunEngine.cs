using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;

namespace OrchUpgradePrep.Engine;

/// <summary>
/// Runs a run's steps in order and decides which start: none after a step was cancelled, none whose precondition an earlier
/// step left unmet (the backup only after a drain and blocked starts), none that --only/--skip leaves out. Each step that
/// does not start is recorded with the reason, so the report and the prepare timeline say why it did not run.
/// </summary>
public sealed class RunEngine(string environmentName, TimeProvider time)
{
    public const string CancelledReason = "not started: the run was cancelled";

    public async Task<RunLedger> RunAsync(IReadOnlyList<RunStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ledger = new RunLedger();
        foreach (var step in steps)
        {
            ledger.Add(await RunStepAsync(step, ledger, cancellationToken));
        }

        return ledger;
    }

    private async Task<StepOutcome> RunStepAsync(RunStep step, RunLedger ledger, CancellationToken cancellationToken)
    {
        // Only a cancel a step reported stops the run here: a step handed a cancelled token still records what it had
        // not started (the backup, its files), which a blanket "not started" would hide.
        if (ledger.Cancelled)
        {
            return NotStarted(step, step.CancelledReason) with { Notes = step.CancelledNote is null ? [] : [step.CancelledNote] };
        }

        if (step.Requires.FirstOrDefault(r => ledger.Hazards.Contains(r.Hazard)) is { } unmet)
        {
            return NotStarted(step, unmet.ReasonNotStarted);
        }

        if (step.NotApplicableReason is { } notApplicable)
        {
            return NotStarted(step, notApplicable);
        }

        if (!step.Selected)
        {
            return step.NotSelectedReason is null ? StepOutcome.Nothing : NotStarted(step, step.NotSelectedReason);
        }

        var started = time.GetTimestamp();
        try
        {
            return await step.RunAsync(ledger, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new StepOutcome { Cancelled = true, Notes = [$"{step.Name} was cancelled before it recorded what it did."] };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A step that throws is a failed verdict, not a crash: the report still tells what the earlier steps changed,
            // and the steps that depend on this one do not start.
            var failed = CheckOutcome.Error($"{step.Name} failed: {ex.GetType().Name}: {ex.Message}");
            return new StepOutcome
            {
                Checks = [StepResult.From(step.ResultId, step.Prerequisite, step.Name, environmentName, failed, time.GetElapsedTime(started))],
                Actions = step.ActionKind is { } kind ? [new ActionRecord(kind, environmentName, ActionOutcome.Failed, failed.Detail)] : [],
                Hazards = [step.ResultId],
            };
        }
    }

    private StepOutcome NotStarted(RunStep step, string reason) =>
        step.ActionKind is { } kind
            ? new StepOutcome { Actions = [new ActionRecord(kind, environmentName, ActionOutcome.Skipped, reason)] }
            : StepOutcome.Nothing;
}
