using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;

namespace OrchUpgradePrep.Engine;

/// <summary>
/// Runs a run's steps (check's, prepare's, resume's; see Catalog/) in order and decides which start: none after a step was
/// cancelled, none whose precondition an earlier step left unmet (the backup only after a drain and blocked starts), none
/// that --only/--skip leaves out, none bound by the run's deadline once it passed. Each step that does not start is
/// recorded with the reason, so the report and the prepare timeline say why it did not run. It owns the run's deadline
/// (--deadline): the clock starts with the first step it bounds (the checks).
/// </summary>
/// <param name="deadline">--deadline: how long the steps marked <see cref="RunStep.UnderDeadline"/> may take together;
/// <see cref="Timeout.InfiniteTimeSpan"/> (the default) = none.</param>
public sealed class RunEngine(string environmentName, TimeProvider time, TimeSpan? deadline = null)
{
    public const string CancelledReason = "not started: the run was cancelled";

    public async Task<RunLedger> RunAsync(IReadOnlyList<RunStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ledger = new RunLedger();
        using var runDeadline = new RunDeadline(deadline ?? Timeout.InfiniteTimeSpan, time);
        foreach (var step in steps)
        {
            ledger.Add(await RunStepAsync(step, new StepContext(ledger, runDeadline), cancellationToken));
        }

        return ledger;
    }

    private async Task<StepOutcome> RunStepAsync(RunStep step, StepContext context, CancellationToken cancellationToken)
    {
        var ledger = context.Ledger;
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

        if (step.UnderDeadline)
        {
            if (context.Deadline.Passed)
            {
                return Failed(step, CheckOutcome.Error($"not started: {context.Deadline.Describe()} passed first"), TimeSpan.Zero);
            }

            context.Deadline.Start();
        }

        var started = time.GetTimestamp();
        try
        {
            return await step.RunAsync(context, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new StepOutcome { Cancelled = true, Notes = [$"{step.Name} was cancelled before it recorded what it did."] };
        }
        catch (OperationCanceledException) when (step.UnderDeadline && context.Deadline.Passed)
        {
            // A step that lets the deadline's token end it is an error saying so, like a check still running then.
            return Failed(step, CheckOutcome.Error($"{step.Name} did not finish by {context.Deadline.Describe()}"), time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A step that throws is a failed verdict, not a crash: the report still tells what the earlier steps changed,
            // and the steps that depend on this one do not start.
            return Failed(step, CheckOutcome.Error($"{step.Name} failed: {ex.GetType().Name}: {ex.Message}"), time.GetElapsedTime(started));
        }
    }

    /// <summary>A step that failed (threw, or was overtaken by the deadline): its verdict, its failed action, and the hazard it leaves.</summary>
    private StepOutcome Failed(RunStep step, CheckOutcome failed, TimeSpan took) =>
        new()
        {
            Checks = [StepResult.From(step.ResultId, step.Prerequisite, step.Name, environmentName, failed, took)],
            Actions = step.ActionKind is { } kind ? [new ActionRecord(kind, environmentName, ActionOutcome.Failed, failed.Detail)] : [],
            Hazards = [step.ResultId],
        };

    private StepOutcome NotStarted(RunStep step, string reason) =>
        step.ActionKind is { } kind
            ? new StepOutcome { Actions = [new ActionRecord(kind, environmentName, ActionOutcome.Skipped, reason)] }
            : StepOutcome.Nothing;
}
