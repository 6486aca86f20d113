using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prepare.State;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// prepare's runbook steps in the order the upgrade guides imply: drain (monitors stopped by policy), then block new
/// starts by stopping the Runbook Services — only once nothing runs, because stopping the service under a running
/// instance orphans it — then clear orphaned instances, which the documented procedure allows once their service is down.
/// Every change is written to the state file as it happens, so a crash or Ctrl+C still lets resume undo it.
/// </summary>
public sealed class RunbookPreparation(RunbookInventory inventory, IServiceControlSource services, PrepareStateStore store, TimeProvider time, ServiceStopOptions? stopOptions = null,
    ServiceStopPlan? stopPlan = null)
{
    /// <param name="blockProgress">Told before each Runbook Service is stopped.</param>
    /// <returns>On Ctrl+C, a result with <see cref="RunbookPreparationResult.Cancelled"/> that still names what was
    /// stopped before it (from the state file, which already holds it for resume).</returns>
    public async Task<RunbookPreparationResult> RunAsync(EnvironmentConfig environment, IProgress<DrainStatus>? progress, CancellationToken cancellationToken,
        IProgress<ServiceStopping>? blockProgress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var results = new StepResults(environment.Name, time);
        var actions = new List<ActionRecord>();
        store.EnsureWritable();
        var state = store.Load() ?? new PrepareState { Environment = environment.Name, UpdatedAt = time.GetUtcNow() };
        try
        {
            return await RunStepsAsync(environment, state, results, actions, progress, blockProgress, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var phase = Phase.After(results.All);
            if (phase.Step is { } step)
            {
                results.Add(step, CheckOutcome.Error($"cancelled during {phase.Name}, before the step finished"));
            }

            // Steps that finished before the cancel have reported their stops already (a cancel while clearing orphans
            // comes after block starts returned, whose actions may say stopped, force-stopped or failed for a service
            // still StopPending); name only the ones no action names yet.
            actions.AddRange(StoppedSince(state, store.Load())
                .Where(stop => !actions.Any(a => a.Kind == stop.Kind && a.Target == stop.Target))
                .ToList());
            actions.Add(new ActionRecord(phase.Kind, environment.Name, ActionOutcome.Cancelled,
                $"the run was cancelled during {phase.Name}; what it had stopped is in {store.Path} for `orchprep resume`"));
            return new RunbookPreparationResult(results.All, actions, Drained: false, store.Path, Cancelled: true);
        }
    }

    /// <summary>What the state lists now and did not before the run: stopped by this run, so the report must say so.</summary>
    private static IEnumerable<ActionRecord> StoppedSince(PrepareState before, PrepareState? now)
    {
        if (now is null)
        {
            yield break;
        }

        foreach (var monitor in now.StoppedMonitors.Where(m => before.StoppedMonitors.All(b => b.RunbookId != m.RunbookId)))
        {
            yield return new ActionRecord(ActionKind.RunbookStop, $"{monitor.Runbook} (job {monitor.JobId})", ActionOutcome.Stopped, "monitor runbook stopped before the cancel; resume starts it again");
        }

        foreach (var service in now.StoppedServices.Where(s => !before.StoppedServices.Any(b => b.SameAs(s))))
        {
            yield return new ActionRecord(ActionKind.BlockStarts, $"{service.Host}: {service.Name}", ActionOutcome.Stopped,
                $"stop of {service.DisplayName} sent before the cancel; resume starts it again");
        }
    }

    private async Task<RunbookPreparationResult> RunStepsAsync(EnvironmentConfig environment, PrepareState state, StepResults results, List<ActionRecord> actions,
        IProgress<DrainStatus>? progress, IProgress<ServiceStopping>? blockProgress, CancellationToken cancellationToken)
    {
        void Record(Ports.OrchestratorJob monitor)
        {
            state = state.With(new StoppedMonitor(monitor.RunbookId, monitor.RunbookPath ?? monitor.RunbookName, monitor.Id, time.GetUtcNow()), time.GetUtcNow());
            store.Save(state);
        }

        var drain = await new RunbookDrain(inventory, time, environment.Policies.Drain).RunAsync(progress, Record, cancellationToken).ConfigureAwait(false);
        actions.AddRange(drain.Actions);
        results.Add(RunbookStepIds.Drained, drain.ToOutcome());
        var monitorsLeft = drain.LastSnapshot.Running.Where(j => j.IsMonitor && !j.IsOrphaned && drain.StoppedMonitors.All(m => m.Id != j.Id)).ToList();
        if (drain.End != DrainEnd.Drained || monitorsLeft.Count > 0)
        {
            var reason = drain.End != DrainEnd.Drained
                ? "the drain did not end with nothing running; stopping the Runbook Service now would orphan what still runs"
                : $"{monitorsLeft.Count} monitor runbook(s) still run (policies.drain.monitors: leave, or their stop failed); stopping the Runbook Service would cut them off";
            actions.Add(new ActionRecord(ActionKind.BlockStarts, environment.Name, ActionOutcome.Skipped, reason));
            results.Add(RunbookStepIds.StartsBlocked, CheckOutcome.Skipped($"not run: {reason}."));
            return new RunbookPreparationResult(results.All, actions, Drained: drain.End == DrainEnd.Drained, store.Path);
        }

        var block = await new RunbookServiceBlock(services, time, stopOptions, stopPlan).RunAsync(environment, state, store.Save, cancellationToken, blockProgress).ConfigureAwait(false);
        actions.AddRange(block.Actions);
        results.Add(RunbookStepIds.StartsBlocked, block.ToOutcome());
        actions.AddRange(await ClearOrphansAsync(block, cancellationToken).ConfigureAwait(false));
        return new RunbookPreparationResult(results.All, actions, Drained: true, store.Path);
    }

    private async Task<IReadOnlyList<ActionRecord>> ClearOrphansAsync(BlockResult block, CancellationToken cancellationToken)
    {
        if (inventory.Database is not { } database)
        {
            return [];
        }

        var orphans = (await inventory.ReadAsync(cancellationToken).ConfigureAwait(false)).Jobs.Where(j => j.IsOrphaned).ToList();
        if (orphans.Count == 0)
        {
            return [];
        }

        var serviceStillRunning = orphans
            .Select(j => j.RunbookServer ?? "?")
            .Where(server => !block.BlockedHosts.Any(h => SameComputer(h, server)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var target = string.Join(", ", orphans.Select(j => $"{j.RunbookPath ?? j.RunbookName} (job {j.Id})"));
        if (serviceStillRunning.Count > 0)
        {
            return [new ActionRecord(ActionKind.ClearOrphans, target, ActionOutcome.Skipped,
                $"the Runbook Service of {string.Join(", ", serviceStillRunning)} is not known to be stopped; the documented clean-up is only safe when it is")];
        }

        try
        {
            await database.ClearOrphanedInstancesAsync(cancellationToken).ConfigureAwait(false);
            return [new ActionRecord(ActionKind.ClearOrphans, target, ActionOutcome.Cleared, $"{OrchestratorDatabase.ClearOrphansStatement} with the Runbook Services stopped")];
        }
        catch (SqlSessionException ex)
        {
            return [new ActionRecord(ActionKind.ClearOrphans, target, ActionOutcome.Failed, ex.Message)];
        }
    }

    /// <summary>ORCH-RB02 and orch-rb02.contoso.local are one computer.</summary>
    private static bool SameComputer(string a, string b) =>
        string.Equals(a.Split('.')[0], b.Split('.')[0], StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the runbook steps are, for what a Ctrl+C report says: the step whose verdict is missing, the action kind.</summary>
    private sealed record Phase(string? Step, ActionKind Kind, string Name)
    {
        public static readonly Phase Drain = new(RunbookStepIds.Drained, ActionKind.RunbookStop, "the drain");
        public static readonly Phase BlockStarts = new(RunbookStepIds.StartsBlocked, ActionKind.BlockStarts, "block starts (stopping Orchestrator services)");
        public static readonly Phase ClearOrphans = new(null, ActionKind.ClearOrphans, "clearing orphaned instances");

        /// <summary>The step running when no verdict after it exists yet: each step adds its verdict as it ends.</summary>
        public static Phase After(IReadOnlyList<CheckResult> verdicts) =>
            !verdicts.Any(r => r.Id == RunbookStepIds.Drained) ? Drain
            : !verdicts.Any(r => r.Id == RunbookStepIds.StartsBlocked) ? BlockStarts
            : ClearOrphans;
    }

    private sealed class StepResults(string environmentName, TimeProvider time)
    {
        private readonly List<CheckResult> _results = [];
        private long _last = time.GetTimestamp();

        public IReadOnlyList<CheckResult> All => _results;

        public void Add(string id, CheckOutcome outcome)
        {
            var now = time.GetTimestamp();
            _results.Add(StepResult.From(id, Prerequisite.Runbooks, RunbookStepIds.TitleOf(id), environmentName, outcome, time.GetElapsedTime(_last, now)));
            _last = now;
        }
    }
}

/// <summary>The runbook steps' verdicts (runbooks.drained, runbooks.starts-blocked), their actions, and where the state is.</summary>
public sealed record RunbookPreparationResult(IReadOnlyList<CheckResult> Checks, IReadOnlyList<ActionRecord> Actions, bool Drained, string StateFile, bool Cancelled = false);
