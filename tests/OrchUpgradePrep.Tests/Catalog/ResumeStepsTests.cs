// The engine under test receives its tokens explicitly; the xunit test token adds nothing here.
#pragma warning disable xUnit1051
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Catalog;

/// <summary>resume's and check's step lists as the engine runs them: order, the condition on starting again, the deadline.</summary>
public sealed class ResumeStepsTests
{
    private readonly List<string> _started = [];

    private RunStep Step(string name, StepOutcome? outcome = null) => new()
    {
        Name = name,
        ResultId = name,
        Prerequisite = Prerequisite.Runbooks,
        RunAsync = (context, _) =>
        {
            _started.Add(name);
            return Task.FromResult(outcome ?? StepOutcome.Nothing);
        },
    };

    [Fact]
    public async Task AStateThatListsSomething_IsReadThenStartedAgain_InThatOrder()
    {
        var ledger = await new RunEngine("prod", TimeProvider.System).RunAsync(ResumeSteps.InOrder(Step("read"), Step("start")), CancellationToken.None);

        Assert.Equal(["read", "start"], _started);
        Assert.Empty(ledger.Actions);
    }

    [Fact]
    public async Task NothingToStart_LeftByTheRead_StartsNothing_AndRecordsNoAction()
    {
        var nothing = new StepOutcome { Notes = ["it lists nothing to undo"], Hazards = [ResumeSteps.NothingToStart] };

        var ledger = await new RunEngine("prod", TimeProvider.System).RunAsync(ResumeSteps.InOrder(Step("read", nothing), Step("start")), CancellationToken.None);

        Assert.Equal(["read"], _started);
        Assert.Empty(ledger.Actions);
        Assert.Equal(["it lists nothing to undo"], ledger.Notes);
    }

    [Fact]
    public async Task ACancelDuringTheRead_StartsNothingAgain()
    {
        var ledger = await new RunEngine("prod", TimeProvider.System).RunAsync(
            ResumeSteps.InOrder(Step("read", new StepOutcome { Cancelled = true }), Step("start")), CancellationToken.None);

        Assert.Equal(["read"], _started);
        Assert.True(ledger.Cancelled);
    }

    [Fact]
    public void ResumesSteps_AreNotBoundByTheChecksDeadline_ButChecksAre()
    {
        Assert.All(ResumeSteps.InOrder(Step("read"), Step("start")), s => Assert.False(s.UnderDeadline));
        Assert.True(Assert.Single(CheckSteps.InOrder(Step("checks"))).UnderDeadline);
    }

    [Fact]
    public async Task CheckSteps_TheirChecksRunUnderTheRunsDeadline()
    {
        var time = new FakeTimeProvider();
        TimeSpan? length = null;
        var checks = new RunStep
        {
            Name = "checks",
            ResultId = "checks",
            Prerequisite = Prerequisite.Runbooks,
            RunAsync = (context, _) =>
            {
                length = context.Deadline.Started ? context.Deadline.Length : null;
                return Task.FromResult(StepOutcome.Nothing);
            },
        };

        await new RunEngine("prod", time, TimeSpan.FromMinutes(7)).RunAsync(CheckSteps.InOrder(checks), CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(7), length);
    }
}
