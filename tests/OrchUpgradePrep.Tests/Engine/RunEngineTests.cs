// The engine under test receives its tokens explicitly; the xunit test token adds nothing here.
#pragma warning disable xUnit1051
using Microsoft.Extensions.Time.Testing;
using Xunit;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Tests.Engine;

public sealed class RunEngineTests
{
    private const string Environment = "prod";
    private const string Drained = "runbooks.drained";
    private const string StartsBlocked = "runbooks.starts-blocked";
    private const string DrainReason = "not started: runbooks did not drain";
    private const string StartsReason = "not started: new starts are not blocked";

    private readonly List<string> _started = [];

    private static Task<RunLedger> Run(params RunStep[] steps) =>
        new RunEngine(Environment, TimeProvider.System).RunAsync(steps, CancellationToken.None);

    private static CheckResult Verdict(string id, CheckStatus status = CheckStatus.Met) => new()
    {
        Id = id,
        Prerequisite = Prerequisite.Runbooks,
        Host = Environment,
        Status = status,
        Title = id,
        Detail = "scripted",
        HelpUri = "",
    };

    /// <summary>A step that notes that it started and gives <paramref name="outcome"/> (a verdict named after it by default).</summary>
    private RunStep Step(string name, StepOutcome? outcome = null, ActionKind? kind = ActionKind.Backup, IReadOnlyList<StepPrecondition>? requires = null,
        bool selected = true, string? notSelectedReason = null, string? notApplicableReason = null, string? cancelledNote = null) => new()
    {
        Name = name,
        ResultId = name,
        Prerequisite = Prerequisite.Runbooks,
        ActionKind = kind,
        Requires = requires ?? [],
        Selected = selected,
        NotSelectedReason = notSelectedReason,
        NotApplicableReason = notApplicableReason,
        CancelledNote = cancelledNote,
        RunAsync = (_, _) =>
        {
            _started.Add(name);
            return Task.FromResult(outcome ?? new StepOutcome { Checks = [Verdict(name)] });
        },
    };

    private RunStep Backup() => Step("backup", requires:
    [
        new StepPrecondition(Drained, DrainReason),
        new StepPrecondition(StartsBlocked, StartsReason),
    ]);

    [Fact]
    public async Task Steps_RunInOrder_AndTheirRecordsAreCollectedInThatOrder()
    {
        var ledger = await Run(
            Step("close", new StepOutcome { Actions = [new ActionRecord(ActionKind.CloseProgram, "host1", ActionOutcome.Done, "closed")] }),
            Step("drain", new StepOutcome { Checks = [Verdict(Drained), Verdict(StartsBlocked)], Notes = ["state saved"] }),
            Backup(),
            Step("recheck"));

        Assert.Equal(["close", "drain", "backup", "recheck"], _started);
        Assert.Equal([Drained, StartsBlocked, "backup", "recheck"], ledger.Checks.Select(c => c.Id));
        Assert.Equal(ActionKind.CloseProgram, Assert.Single(ledger.Actions).Kind);
        Assert.Equal(["state saved"], ledger.Notes);
        Assert.False(ledger.Cancelled);
    }

    [Fact]
    public async Task AStep_SeesWhatTheEarlierStepsRecorded()
    {
        IReadOnlyList<string>? seen = null;
        var recheck = new RunStep
        {
            Name = "recheck",
            ResultId = "recheck",
            Prerequisite = Prerequisite.Runbooks,
            RunAsync = (context, _) =>
            {
                seen = [.. context.Ledger.Checks.Select(c => c.Id)];
                return Task.FromResult(StepOutcome.Nothing);
            },
        };

        await Run(Step("drain", new StepOutcome { Checks = [Verdict(Drained)] }), recheck);

        Assert.Equal([Drained], seen);
    }

    [Fact]
    public async Task Backup_WhenTheDrainFailed_IsSkippedWithTheDrainReason_AndLaterStepsStillRun()
    {
        var ledger = await Run(
            Step("drain", new StepOutcome { Checks = [Verdict(Drained, CheckStatus.Unmet)], Hazards = [Drained] }),
            Backup(),
            Step("recheck"));

        Assert.Equal(["drain", "recheck"], _started);
        var skipped = Assert.Single(ledger.Actions);
        Assert.Equal((ActionKind.Backup, Environment, ActionOutcome.Skipped, DrainReason), (skipped.Kind, skipped.Target, skipped.Outcome, skipped.Detail));
    }

    [Fact]
    public async Task Backup_WhenStartsWereNotBlockedOnEveryServer_IsSkippedWithThatReason()
    {
        var ledger = await Run(Step("drain", new StepOutcome { Hazards = [StartsBlocked] }), Backup());

        Assert.Equal(["drain"], _started);
        Assert.Equal(StartsReason, Assert.Single(ledger.Actions).Detail);
    }

    [Fact]
    public async Task Backup_WhenBothPreconditionsFailed_GivesTheFirstReason()
    {
        var ledger = await Run(Step("drain", new StepOutcome { Hazards = [StartsBlocked, Drained] }), Backup());

        Assert.Equal(DrainReason, Assert.Single(ledger.Actions).Detail);
    }

    [Fact]
    public async Task AStepLeftOutByOnlyOrSkip_DoesNotRun_AndRecordsItsReason()
    {
        var ledger = await Run(Step("drain", selected: false, notSelectedReason: "--only selects no runbooks.* check"), Step("recheck"));

        Assert.Equal(["recheck"], _started);
        var skipped = Assert.Single(ledger.Actions);
        Assert.Equal((ActionOutcome.Skipped, "--only selects no runbooks.* check"), (skipped.Outcome, skipped.Detail));
        Assert.Equal(["recheck"], ledger.Checks.Select(c => c.Id));
    }

    [Fact]
    public async Task AStepLeftOutWithoutAReason_RecordsNothing()
    {
        var ledger = await Run(Step("close", selected: false), Step("recheck"));

        Assert.Equal(["recheck"], _started);
        Assert.Empty(ledger.Actions);
    }

    [Fact]
    public async Task AStepWithNothingToDo_SaysSo_BeforeItsSelection()
    {
        var ledger = await Run(Step("backup", selected: false, notSelectedReason: "--skip backup", notApplicableReason: "not configured: no sql: section"));

        Assert.Empty(_started);
        Assert.Equal("not configured: no sql: section", Assert.Single(ledger.Actions).Detail);
    }

    [Fact]
    public async Task AfterACancelledStep_NoStepStarts_AndEachIsRecordedAsNotStarted()
    {
        var ledger = await Run(
            Step("close", new StepOutcome { Cancelled = true }, kind: ActionKind.CloseProgram),
            Step("drain", kind: ActionKind.RunbookStop, cancelledNote: "nothing for resume") with { CancelledReason = "not started: cancelled while closing programs" },
            Backup(),
            Step("recheck", kind: null));

        Assert.Equal(["close"], _started);
        Assert.True(ledger.Cancelled);
        Assert.Empty(ledger.Checks);
        Assert.Equal(
            [(ActionKind.RunbookStop, "not started: cancelled while closing programs"), (ActionKind.Backup, RunEngine.CancelledReason)],
            ledger.Actions.Select(a => (a.Kind, a.Detail)));
        Assert.All(ledger.Actions, a => Assert.Equal(ActionOutcome.Skipped, a.Outcome));
        Assert.Equal(["nothing for resume"], ledger.Notes);
    }

    [Fact]
    public async Task ACancelInsideAStep_KeepsWhatItRecorded_AndStopsTheRun()
    {
        var ledger = await Run(
            Step("drain", new StepOutcome { Checks = [Verdict(Drained, CheckStatus.Error)], Cancelled = true }),
            Backup());

        Assert.Equal(["drain"], _started);
        Assert.Equal([Drained], ledger.Checks.Select(c => c.Id));
        Assert.Equal(RunEngine.CancelledReason, Assert.Single(ledger.Actions).Detail);
    }

    [Fact]
    public async Task AStepThrowingOnCtrlC_EndsTheRunAsCancelled_NotAsACrash()
    {
        using var cts = new CancellationTokenSource();
        var throwing = new RunStep
        {
            Name = "drain",
            ResultId = Drained,
            Prerequisite = Prerequisite.Runbooks,
            RunAsync = async (_, token) =>
            {
                await cts.CancelAsync();
                token.ThrowIfCancellationRequested();
                return StepOutcome.Nothing;
            },
        };

        var ledger = await new RunEngine(Environment, TimeProvider.System).RunAsync([throwing, Backup()], cts.Token);

        Assert.True(ledger.Cancelled);
        Assert.Empty(_started);
        Assert.Single(ledger.Notes);
    }

    [Fact]
    public async Task AThrowingStep_BecomesAFailedVerdict_AndStepsThatNeedItDoNotStart()
    {
        var throwing = new RunStep
        {
            Name = "Drain runbooks",
            ResultId = Drained,
            Prerequisite = Prerequisite.Runbooks,
            ActionKind = ActionKind.RunbookStop,
            RunAsync = (_, _) => throw new InvalidOperationException("the web service went away"),
        };

        var ledger = await Run(throwing, Backup(), Step("recheck"));

        var failed = ledger.Checks[0];
        Assert.Equal((Drained, CheckStatus.Error, Environment), (failed.Id, failed.Status, failed.Host));
        Assert.Contains("Drain runbooks failed: InvalidOperationException: the web service went away", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(
            [(ActionKind.RunbookStop, ActionOutcome.Failed), (ActionKind.Backup, ActionOutcome.Skipped)],
            ledger.Actions.Select(a => (a.Kind, a.Outcome)));
        Assert.Equal(DrainReason, ledger.Actions[1].Detail);
        Assert.Equal(["recheck"], _started);
        Assert.False(ledger.Cancelled);
    }

    [Fact]
    public async Task ACancelledTokenAlone_DoesNotSkipAStep_WhichRecordsItsOwnCancel()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ledger = await new RunEngine(Environment, TimeProvider.System).RunAsync([Step("backup")], cts.Token);

        Assert.Equal(["backup"], _started);
        Assert.False(ledger.Cancelled);
    }

    /// <summary>A step under the deadline that waits for the deadline's token (as the checks do) and records whether it fired.</summary>
    private static RunStep WaitsForTheDeadline(string name, List<(string Step, bool Fired, TimeSpan Length)> seen) => new()
    {
        Name = name,
        ResultId = name,
        Prerequisite = Prerequisite.Runbooks,
        UnderDeadline = true,
        RunAsync = async (context, token) =>
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (context.Deadline.Token.Register(() => fired.TrySetResult()))
            {
                await Task.WhenAny(fired.Task, Task.Delay(Timeout.Infinite, token));
            }

            seen.Add((name, context.Deadline.Passed, context.Deadline.Length));
            return StepOutcome.Nothing;
        },
    };

    [Fact]
    public async Task TheDeadline_StartsWithTheFirstStepItBounds_NotWithTheRun()
    {
        var time = new FakeTimeProvider();
        var seen = new List<(string Step, bool Fired, TimeSpan Length)>();
        var slowBefore = new RunStep
        {
            Name = "backup",
            ResultId = "backup",
            Prerequisite = Prerequisite.Backup,
            RunAsync = (context, _) =>
            {
                // An hour of backup, longer than the deadline: the deadline has not started, so it does not pass.
                Assert.False(context.Deadline.Started);
                time.Advance(TimeSpan.FromHours(1));
                Assert.False(context.Deadline.Passed);
                return Task.FromResult(StepOutcome.Nothing);
            },
        };

        var running = new RunEngine(Environment, time, TimeSpan.FromMinutes(3)).RunAsync([slowBefore, WaitsForTheDeadline("checks", seen)], CancellationToken.None);
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        var ledger = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("checks", true, TimeSpan.FromMinutes(3))], seen);
        Assert.False(ledger.Cancelled);
    }

    [Fact]
    public async Task AStepUnderTheDeadline_AfterItPassed_DoesNotStart_AndIsAnErrorSayingSo()
    {
        var time = new FakeTimeProvider();
        var seen = new List<(string Step, bool Fired, TimeSpan Length)>();
        var running = new RunEngine(Environment, time, TimeSpan.FromMinutes(3)).RunAsync(
            [WaitsForTheDeadline("checks", seen), Step("late") with { UnderDeadline = true }, Step("after")], CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        var ledger = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["after"], _started);
        var late = Assert.Single(ledger.Checks, c => c.Id == "late");
        Assert.Equal(CheckStatus.Error, late.Status);
        Assert.Equal("not started: the run's deadline (3m) passed first", late.Detail);
        Assert.Contains("late", ledger.Hazards);
    }

    [Fact]
    public async Task AStepEndedByTheDeadlinesToken_IsAnErrorNamingTheDeadline_NotACancelledRun()
    {
        var time = new FakeTimeProvider();
        var step = new RunStep
        {
            Name = "Run the checks",
            ResultId = "checks",
            Prerequisite = Prerequisite.Runbooks,
            UnderDeadline = true,
            RunAsync = async (context, _) =>
            {
                await Task.Delay(Timeout.Infinite, context.Deadline.Token);
                return StepOutcome.Nothing;
            },
        };

        var running = new RunEngine(Environment, time, TimeSpan.FromMinutes(15)).RunAsync([step], CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(15));
        var ledger = await running.WaitAsync(TimeSpan.FromSeconds(30));

        var verdict = Assert.Single(ledger.Checks);
        Assert.Equal(("checks", CheckStatus.Error), (verdict.Id, verdict.Status));
        Assert.Equal("Run the checks did not finish by the run's deadline (15m)", verdict.Detail);
        Assert.False(ledger.Cancelled);
    }

    [Fact]
    public async Task AStepNotUnderTheDeadline_NeverSeesItPass()
    {
        var time = new FakeTimeProvider();
        var passed = true;
        var step = new RunStep
        {
            Name = "drain",
            ResultId = Drained,
            Prerequisite = Prerequisite.Runbooks,
            RunAsync = (context, _) =>
            {
                time.Advance(TimeSpan.FromHours(2));
                passed = context.Deadline.Passed || context.Deadline.Token.IsCancellationRequested;
                return Task.FromResult(StepOutcome.Nothing);
            },
        };

        await new RunEngine(Environment, time, TimeSpan.FromMinutes(1)).RunAsync([step], CancellationToken.None);

        Assert.False(passed);
    }

    [Fact]
    public void ADeadlineThatIsNotPositive_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunDeadline(TimeSpan.Zero, TimeProvider.System));
    }
}
