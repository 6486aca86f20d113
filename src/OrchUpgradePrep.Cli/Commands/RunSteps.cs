using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Programs;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// The steps of check, prepare and resume with their real work (the SQL client, the web service, the services, stderr's
/// progress) for <see cref="RunEngine"/>, which decides which of them start and in what order.
/// </summary>
internal sealed class RunSteps(CliEnvironment cli, ResolvedEnvironment resolved, RunRequest request, TextWriter stderr)
{
    private readonly CliEnvironment _environment = cli;

    /// <summary>What resume's first step read, for its second.</summary>
    private PrepareState? _resumeState;

    /// <summary>prepare's first step with --close-programs: close the Orchestrator programs on every host.</summary>
    public RunStep ClosePrograms() => new()
    {
        Name = ProgramStepIds.TitleOf(ProgramStepIds.Closed),
        ResultId = ProgramStepIds.Closed,
        Prerequisite = Prerequisite.Programs,
        ActionKind = ActionKind.CloseProgram,
        Selected = request.ClosePrograms && request.Selection.IncludesSteps(Prerequisite.Programs),
        RunAsync = async (_, cancellationToken) =>
        {
            var closed = await new OrchestratorProgramCloser(resolved.HostFacts, resolved.Programs)
                .RunAsync(resolved.Environment, cancellationToken, StepProgress.ProgramCloses(stderr));
            return new StepOutcome { Actions = closed.Actions, Cancelled = closed.Cancelled };
        },
    };

    /// <summary>prepare's runbook steps: drain, block new starts, clear orphans (skipped when --only leaves out runbooks).</summary>
    public RunStep Runbooks(PrepareStateStore store)
    {
        var environment = resolved.Environment;
        var inventory = Inventory(resolved);
        return new RunStep
        {
            Name = RunbookStepIds.TitleOf(RunbookStepIds.Drained),
            ResultId = RunbookStepIds.Drained,
            Prerequisite = Prerequisite.Runbooks,
            ActionKind = ActionKind.RunbookStop,
            NotApplicableReason = inventory.IsConfigured ? null : "not configured: the environment has neither webService: nor sql:",
            Selected = request.Selection.IncludesSteps(Prerequisite.Runbooks),
            NotSelectedReason = "--only selects no runbooks.* check, or --skip runbooks",
            RunAsync = async (_, cancellationToken) =>
            {
                var policy = environment.Policies.Drain;
                await stderr.WriteLineAsync(
                    $"orchprep prepare: draining runbooks ({WireNames.Of(policy.Mode)}, timeout {Duration.Format(policy.Timeout)}, poll every {Duration.Format(policy.PollInterval)}, monitors: {WireNames.Of(policy.Monitors)}); state in {store.Path}");
                await stderr.FlushAsync(CancellationToken.None);
                try
                {
                    // A Ctrl+C comes back as a result with Cancelled set, naming what was stopped before it.
                    var stopOptions = new ServiceStopOptions { StopTimeout = environment.Policies.Services.StopTimeout, ForceStop = request.ForceStop };
                    // omonitor/oremoting too where the installed Orchestrator is 2022 or later (docs/adr/0024-stop-omonitor-oremoting-on-2022.md).
                    var stopPlan = await ManagementServiceStops.PlanAsync(environment, resolved.HostFacts, cancellationToken);
                    var result = await new RunbookPreparation(inventory, resolved.Services, store, _environment.Time, stopOptions, stopPlan)
                        .RunAsync(environment, new DrainProgressWriter(stderr), cancellationToken, StepProgress.ServiceStops(stderr));
                    return new StepOutcome
                    {
                        Checks = result.Checks,
                        Actions = result.Actions,
                        Cancelled = result.Cancelled,
                        Hazards = PrepareSteps.HazardsLeftBy(result),
                        Notes =
                        [
                            result.Cancelled
                                ? $"prepare was cancelled during its runbook steps; what it had stopped is in {result.StateFile} for `orchprep resume`."
                                : $"prepare recorded what it stopped in {result.StateFile}; `orchprep resume` with the same --output starts it again.",
                        ],
                    };
                }
                catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
                {
                    // The state file records what resume must undo: without it, prepare changes nothing.
                    var outcome = CheckOutcome.Error($"prepare-state.json cannot be used, so nothing was stopped: {ex.Message}", new Evidence("state", store.Path));
                    return new StepOutcome
                    {
                        Checks = [RunbookVerdict(RunbookStepIds.Drained, outcome, TimeSpan.Zero)],
                        Actions = [new ActionRecord(ActionKind.RunbookStop, environment.Name, ActionOutcome.Skipped, "the state file cannot be read or written")],
                        Hazards = [RunbookStepIds.Drained],
                    };
                }
            },
        };
    }

    /// <summary>prepare's backup step (+ verify, save keys); without a sql: section there is nothing to back up (said in an action, not hidden).</summary>
    public RunStep Backup(SecretMasker masker, Action<BackupSummary?> backupTaken)
    {
        var environment = resolved.Environment;
        return new RunStep
        {
            Name = "Back up the Orchestrator database",
            ResultId = BackupCheckIds.Taken,
            Prerequisite = Prerequisite.Backup,
            ActionKind = ActionKind.Backup,
            NotApplicableReason = resolved.Sql is null || environment.Sql is null ? "not configured: the environment has no sql: section" : null,
            Selected = request.Selection.IncludesSteps(Prerequisite.Backup),
            NotSelectedReason = "--only selects no backup.* check, or --skip backup",
            RunAsync = async (_, cancellationToken) =>
            {
                var smkPassword = _environment.GetEnvironmentVariable(SecretEnvironment.ServiceMasterKeyPassword);
                if (!string.IsNullOrEmpty(smkPassword))
                {
                    masker.Add(smkPassword);
                }

                // Not null here: NotApplicableReason keeps the engine from starting this step without a sql: section.
                var preparation = new BackupPreparation(resolved.Sql!, _environment.FileSystem, _environment.Time, new BackupPreparationOptions
                {
                    EnvironmentName = environment.Name,
                    Sql = environment.Sql!,
                    Policy = environment.Policies.Backup,
                    Verify = environment.Policies.Verify,
                    RestoreServer = resolved.RestoreServer is null ? null : environment.Policies.RestoreServer,
                    Target = resolved.Target,
                    ServiceMasterKeyPassword = smkPassword,
                }, resolved.RestoreServer);
                var progress = new BackupProgressWriter(stderr, _environment.IsInteractiveTerminal, request.Verbosity);
                try
                {
                    var prepared = await preparation.RunAsync(progress, cancellationToken);
                    backupTaken(prepared.Summary);
                    return new StepOutcome { Checks = prepared.Checks, Actions = prepared.Actions, Cancelled = prepared.Cancelled };
                }
                finally
                {
                    progress.Close();
                }
            },
        };
    }

    /// <summary>The checks (check's only step; prepare's last, after its steps).</summary>
    public RunStep Checks(IReadOnlyList<ICheck> catalog, string targetLevel)
    {
        var environment = resolved.Environment;
        var target = resolved.Target;
        return new RunStep
        {
            Name = "Run the checks",
            ResultId = "checks",
            Prerequisite = Prerequisite.Runbooks,
            RunAsync = async (context, cancellationToken) =>
            {
                // Checks whose verdict prepare's steps already gave are not run twice (e.g. free space after the backup took it).
                var stepResults = context.Ledger.Checks;
                var stepIds = stepResults.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                var plan = CheckPlanner.Plan(catalog.Where(c => !stepIds.Contains(c.Id)), environment, request.Selection);
                var hostCount = plan.Select(p => p.HostLabel).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                // Progress, not a second header: the report's own header and count line follow on stdout, and in prepare they
                // also count the verdicts its steps gave.
                await stderr.WriteLineAsync(stepResults.Count == 0
                    ? $"orchprep: running {plan.Count} checks on {hostCount} hosts (environment '{environment.Name}', target {target.ToName()}, update level {targetLevel})"
                    : $"orchprep: running {plan.Count} checks on {hostCount} hosts, beside the {stepResults.Count} verdicts of prepare's steps (environment '{environment.Name}', target {target.ToName()}, update level {targetLevel})");
                await stderr.FlushAsync(CancellationToken.None);

                var runner = new CheckRunner(
                    new CheckRunnerOptions { MaxParallelism = request.MaxParallelism, CheckTimeout = request.CheckTimeout },
                    resolved.HostFacts,
                    _environment.Time,
                    resolved.Sql,
                    _environment.FileSystem,
                    Inventory(resolved));
                var progress = new SlowRunProgress(stderr, _environment.Time, plan.Count, _environment.LiveLineWidth);
                CheckRunResult run;
                try
                {
                    // The run's deadline (--deadline) is the engine's: its clock started with this step.
                    run = await runner.RunAsync(plan, environment, target, progress, context.Deadline, cancellationToken);
                }
                finally
                {
                    progress.Close();
                }

                return new StepOutcome { Checks = run.Results, Cancelled = run.Cancelled };
            },
        };
    }

    /// <summary>resume's first step: read what prepare-state.json lists. When that gives resume's verdict already (no file with
    /// --if-present, nothing listed, unreadable), it leaves <see cref="ResumeSteps.NothingToStart"/> and nothing is started.</summary>
    public RunStep ReadState(PrepareStateStore store) => new()
    {
        // Named as resume's verdict: a state file that throws while read fails that verdict, as it did when resume was one step.
        Name = RunbookStepIds.TitleOf(RunbookStepIds.Resumed),
        ResultId = RunbookStepIds.Resumed,
        Prerequisite = Prerequisite.Runbooks,
        RunAsync = (_, _) => Task.FromResult(LoadState(store, out _resumeState)),
    };

    /// <summary>resume's second step: start what the state lists, then rewrite it with what could not be started.</summary>
    public RunStep StartAgain(PrepareStateStore store) => new()
    {
        Name = RunbookStepIds.TitleOf(RunbookStepIds.Resumed),
        ResultId = RunbookStepIds.Resumed,
        Prerequisite = Prerequisite.Runbooks,
        // Not null here: ReadState leaves NothingToStart, so the engine does not start this step, without a state to undo.
        RunAsync = (_, cancellationToken) => StartAgainAsync(store, _resumeState!, cancellationToken),
    };

    private StepOutcome LoadState(PrepareStateStore store, out PrepareState? state)
    {
        try
        {
            state = store.Load();
        }
        catch (ConfigException ex)
        {
            state = null;
            var unreadable = CheckOutcome.Error(ex.Message, new Evidence("state", store.Path));
            return new StepOutcome { Checks = [RunbookVerdict(RunbookStepIds.Resumed, unreadable, TimeSpan.Zero)], Hazards = [ResumeSteps.NothingToStart] };
        }

        if (state is null)
        {
            // Only with --if-present: without it a missing file was refused before the lock.
            return NothingToStart(
                CheckOutcome.Skipped($"nothing to undo: no {PrepareState.FileName} in {Path.GetDirectoryName(store.Path)} (--if-present)."),
                $"resume found no {store.Path}; --if-present makes that nothing to undo.");
        }

        if (state.IsEmpty)
        {
            return NothingToStart(
                CheckOutcome.Skipped($"nothing to undo: {store.Path} lists nothing (prepare stopped nothing, or resume already started it all)."),
                $"resume read {store.Path}: it lists nothing to undo.");
        }

        return StepOutcome.Nothing;
    }

    private StepOutcome NothingToStart(CheckOutcome outcome, string note) => new()
    {
        Checks = [RunbookVerdict(RunbookStepIds.Resumed, outcome, TimeSpan.Zero)],
        Notes = [note],
        Hazards = [ResumeSteps.NothingToStart],
    };

    private async Task<StepOutcome> StartAgainAsync(PrepareStateStore store, PrepareState state, CancellationToken cancellationToken)
    {
        var started = _environment.Time.GetTimestamp();
        CheckOutcome outcome;
        IReadOnlyList<ActionRecord> actions = [];
        var cancelled = false;
        try
        {
            var result = await new RunbookResume(resolved.Services, resolved.WebService, _environment.Time).RunAsync(resolved.Environment, state, store.Save, cancellationToken);
            actions = result.Actions;
            outcome = result.ToOutcome(store.Path);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            outcome = CheckOutcome.Error($"cancelled; what is not started yet is still listed in {store.Path}, run resume again.");
        }

        var check = RunbookVerdict(RunbookStepIds.Resumed, outcome, _environment.Time.GetElapsedTime(started));
        return new StepOutcome { Checks = [check], Actions = actions, Notes = [$"resume read {store.Path}."], Cancelled = cancelled };
    }

    /// <summary>The verdict a runbook step (drain, resume) gives about itself, under its own id and title.</summary>
    private CheckResult RunbookVerdict(string id, CheckOutcome outcome, TimeSpan took) =>
        StepResult.From(id, Prerequisite.Runbooks, RunbookStepIds.TitleOf(id), resolved.Environment.Name, outcome, took);

    /// <summary>A new inventory for each use: the checks after prepare's steps must read the jobs afresh.</summary>
    private static RunbookInventory Inventory(ResolvedEnvironment resolved) =>
        new(resolved.WebService, resolved.Sql is null ? null : new OrchestratorDatabase(resolved.Sql));
}
