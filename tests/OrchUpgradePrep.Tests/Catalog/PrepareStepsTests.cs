using OrchUpgradePrep.Catalog;

// The engine under test receives its tokens explicitly; the xunit test token adds nothing here.
#pragma warning disable xUnit1051
using Xunit;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Tests.Catalog;

public sealed class PrepareStepsTests
{
    private readonly List<string> _started = [];

    private RunStep Step(string name, ActionKind? kind, StepOutcome? outcome = null) => new()
    {
        Name = name,
        ResultId = name,
        Prerequisite = Prerequisite.Runbooks,
        ActionKind = kind,
        RunAsync = (_, _) =>
        {
            _started.Add(name);
            return Task.FromResult(outcome ?? StepOutcome.Nothing);
        },
    };

    private Task<RunLedger> Prepare(StepOutcome? closePrograms = null, StepOutcome? runbooks = null) =>
        new RunEngine("prod", TimeProvider.System).RunAsync(
            PrepareSteps.InOrder(
                Step("close", ActionKind.CloseProgram, closePrograms),
                Step("runbooks", ActionKind.RunbookStop, runbooks),
                Step("backup", ActionKind.Backup),
                Step("checks", kind: null)),
            CancellationToken.None);

    private static CheckResult Verdict(string id, CheckStatus status) => new()
    {
        Id = id,
        Prerequisite = Prerequisite.Runbooks,
        Host = "prod",
        Status = status,
        Title = id,
        Detail = "scripted",
        HelpUri = "",
    };

    [Fact]
    public async Task Prepare_RunsClosePrograms_Runbooks_Backup_ThenTheChecks()
    {
        await Prepare();

        Assert.Equal(["close", "runbooks", "backup", "checks"], _started);
    }

    [Fact]
    public async Task ABackup_AfterRunbooksThatDidNotDrain_IsNotStarted_ButTheChecksRun()
    {
        var ledger = await Prepare(runbooks: new StepOutcome { Hazards = [RunbookStepIds.Drained] });

        Assert.Equal(["close", "runbooks", "checks"], _started);
        var skipped = Assert.Single(ledger.Actions);
        Assert.Equal((ActionKind.Backup, ActionOutcome.Skipped, PrepareSteps.NotDrainedReason), (skipped.Kind, skipped.Outcome, skipped.Detail));
    }

    [Fact]
    public async Task ABackup_WhileARunbookServerStillTakesNewStarts_IsNotStarted()
    {
        var ledger = await Prepare(runbooks: new StepOutcome { Hazards = [RunbookStepIds.StartsBlocked] });

        Assert.DoesNotContain("backup", _started);
        Assert.Equal(PrepareSteps.StartsNotBlockedReason, Assert.Single(ledger.Actions).Detail);
    }

    [Fact]
    public async Task ACancelWhileClosingPrograms_StartsNoRunbookStep_AndSaysResumeHasNothingToUndo()
    {
        var ledger = await Prepare(closePrograms: new StepOutcome { Cancelled = true });

        Assert.Equal(["close"], _started);
        Assert.True(ledger.Cancelled);
        Assert.Equal(
            [(ActionKind.RunbookStop, PrepareSteps.RunbooksCancelledReason), (ActionKind.Backup, RunEngine.CancelledReason)],
            ledger.Actions.Select(a => (a.Kind, a.Detail)));
        Assert.Equal([PrepareSteps.RunbooksCancelledNote], ledger.Notes);
    }

    [Theory]
    [InlineData(true, CheckStatus.Met, new string[0])]
    [InlineData(false, CheckStatus.Met, new[] { RunbookStepIds.Drained })]
    [InlineData(true, CheckStatus.Unmet, new[] { RunbookStepIds.StartsBlocked })]
    [InlineData(true, CheckStatus.Error, new[] { RunbookStepIds.StartsBlocked })]
    [InlineData(true, CheckStatus.Skipped, new string[0])]
    [InlineData(false, CheckStatus.Error, new[] { RunbookStepIds.Drained, RunbookStepIds.StartsBlocked })]
    public void TheRunbookSteps_LeaveAHazard_ForRunbooksStillRunning_OrStartsNotBlocked(bool drained, CheckStatus startsBlocked, string[] hazards)
    {
        var result = new RunbookPreparationResult([Verdict(RunbookStepIds.StartsBlocked, startsBlocked)], [], drained, "prepare-state.json");

        Assert.Equal(hazards, PrepareSteps.HazardsLeftBy(result));
    }

    [Fact]
    public void OnlyTheRecheck_IsBoundByTheRunsDeadline()
    {
        var steps = PrepareSteps.InOrder(Step("close", ActionKind.CloseProgram), Step("runbooks", ActionKind.RunbookStop), Step("backup", ActionKind.Backup), Step("checks", kind: null));

        Assert.Equal(["checks"], steps.Where(s => s.UnderDeadline).Select(s => s.Name));
    }
}
