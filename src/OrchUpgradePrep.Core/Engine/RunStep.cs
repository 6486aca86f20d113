using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Engine;

/// <summary>
/// One step of a run (close programs, the runbook steps, the backup, the checks), as <see cref="RunEngine"/> orders it: when it
/// may start and what it records when it does not. The work itself is <see cref="RunAsync"/>, supplied by the composition
/// root, so Core decides the order and conditions without knowing the CLI, the SQL client or the sandbox.
/// </summary>
public sealed record RunStep
{
    /// <summary>What the step does, in words (the title of the verdict a step that throws becomes).</summary>
    public required string Name { get; init; }

    /// <summary>The verdict a step that throws is reported as, and the hazard it then leaves for the steps after it.</summary>
    public required string ResultId { get; init; }

    public required Prerequisite Prerequisite { get; init; }

    /// <summary>The action a step that does not start is recorded as (the timeline reads its reason there); null records nothing.</summary>
    public ActionKind? ActionKind { get; init; }

    /// <summary>Conditions on the world the earlier steps left, in order: the first unmet one says why the step does not start.</summary>
    public IReadOnlyList<StepPrecondition> Requires { get; init; } = [];

    /// <summary>Why the step has nothing to do in this environment (e.g. no sql: section), or null.</summary>
    public string? NotApplicableReason { get; init; }

    /// <summary>False when --only/--skip (or a switch like --close-programs) leaves the step out.</summary>
    public bool Selected { get; init; } = true;

    /// <summary>What an unselected step records as a skipped action; null records nothing.</summary>
    public string? NotSelectedReason { get; init; }

    /// <summary>Why the step did not start when the run was cancelled before it (its skipped action).</summary>
    public string CancelledReason { get; init; } = RunEngine.CancelledReason;

    /// <summary>A note for the report when the run was cancelled before this step (e.g. that resume has nothing to undo), or null.</summary>
    public string? CancelledNote { get; init; }

    /// <summary>The run's deadline (--deadline) bounds this step: its clock starts when the first such step starts, the step
    /// reads it from <see cref="StepContext.Deadline"/>, and a step that would start after it passed does not.</summary>
    public bool UnderDeadline { get; init; }

    /// <summary>The work, given what the earlier steps recorded. A Ctrl+C comes back as an outcome with Cancelled set.</summary>
    public required Func<StepContext, CancellationToken, Task<StepOutcome>> RunAsync { get; init; }
}

/// <summary>What a step is given besides the Ctrl+C token: what the earlier steps recorded, and the run's deadline.</summary>
public sealed record StepContext(RunLedger Ledger, RunDeadline Deadline);

/// <summary>A step starts only when no earlier step left <paramref name="Hazard"/>; else it is recorded as not started for <paramref name="ReasonNotStarted"/>.</summary>
public sealed record StepPrecondition(string Hazard, string ReasonNotStarted);

/// <summary>What a step gave: its verdicts and actions, notes for the report, whether Ctrl+C ended it, and what it left unsafe.</summary>
public sealed record StepOutcome
{
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    public IReadOnlyList<ActionRecord> Actions { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool Cancelled { get; init; }

    /// <summary>
    /// What the step left unsafe for the steps after it, named by the verdict that says so (runbooks.drained when the
    /// runbooks did not drain, runbooks.starts-blocked when a server still takes new starts).
    /// </summary>
    public IReadOnlyList<string> Hazards { get; init; } = [];

    public static StepOutcome Nothing { get; } = new();
}
