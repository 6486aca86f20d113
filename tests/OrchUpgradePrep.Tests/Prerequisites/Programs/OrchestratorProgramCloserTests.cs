using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Programs;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Programs;

public sealed class OrchestratorProgramCloserTests
{
    private static readonly EnvironmentConfig Environment = new() { Name = "test", Hosts = [new HostConfig { Name = "orch-ms01", Roles = [HostRole.ManagementServer] }] };

    private static FakeHostFacts Host() => new()
    {
        Processes =
        [
            new ProcessInfo(4000, "RunbookDesigner.exe", @"C:\Orchestrator\RunbookDesigner.exe", null, 2),
            new ProcessInfo(4100, "notepad.exe", @"C:\Windows\notepad.exe", null, 2),
            new ProcessInfo(4200, "Runbook Tester.exe", null, null, 3),
        ],
        Sessions = [new SessionInfo(2, @"CONTOSO\jdoe", "Disconnected", null)],
    };

    [Fact]
    public async Task Only_orchestrator_programs_are_closed_and_each_is_an_action_naming_its_user()
    {
        var control = new RecordingControl(ProgramCloseOutcome.Ended);

        var result = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), control).RunAsync(Environment, TestContext.Current.CancellationToken);

        var actions = result.Actions;
        Assert.False(result.Cancelled);
        Assert.Equal([4000, 4200], control.Closed);
        Assert.Equal(2, actions.Count);
        Assert.Contains(@"CONTOSO\jdoe", actions[0].Target, StringComparison.Ordinal);
        Assert.Contains("the user of session 3", actions[1].Target, StringComparison.Ordinal);
        Assert.All(actions, a => Assert.Equal(ActionOutcome.Ended, a.Outcome));
        Assert.Contains("unsaved work in it is lost", actions[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_whose_programs_cannot_be_closed_from_here_is_a_failed_action_not_a_crash()
    {
        var result = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), new RefusingControl()).RunAsync(Environment, TestContext.Current.CancellationToken);

        var action = Assert.Single(result.Actions);
        Assert.Equal(ActionOutcome.Failed, action.Outcome);
        Assert.Contains("only closes programs on the machine", action.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_open_means_no_action_and_no_control_is_asked_for()
    {
        var host = Host();
        host.Processes = [new ProcessInfo(4100, "notepad.exe", null, null, 2)];

        var result = await new OrchestratorProgramCloser(new FakeHostFactsSource(host), new RefusingControl()).RunAsync(Environment, TestContext.Current.CancellationToken);

        Assert.Empty(result.Actions);
    }

    [Fact]
    public async Task Progress_is_told_before_each_program_is_asked_to_close()
    {
        var control = new RecordingControl(ProgramCloseOutcome.Closed);
        var told = new List<(ProgramClosing Closing, int ClosedBefore)>();

        await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), control)
            .RunAsync(Environment, TestContext.Current.CancellationToken, new SynchronousProgress<ProgramClosing>(p => told.Add((p, control.Closed.Count))));

        Assert.Equal(
            [(new ProgramClosing("orch-ms01", "RunbookDesigner.exe", 4000, @"CONTOSO\jdoe", 2), 0), (new ProgramClosing("orch-ms01", "Runbook Tester.exe", 4200, "the user of session 3", 3), 1)],
            told);
    }

    [Fact]
    public async Task Ctrl_C_while_a_program_closes_returns_a_cancelled_result_naming_the_closed_ones_and_not_the_one_being_closed()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var control = new CancelledAtSecondControl(cts);

        var result = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), control).RunAsync(Environment, cts.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(2, result.Actions.Count);
        Assert.Equal((ActionOutcome.Closed, true), (result.Actions[0].Outcome, result.Actions[0].Target.Contains("RunbookDesigner.exe (PID 4000", StringComparison.Ordinal)));
        Assert.Equal((ActionOutcome.Cancelled, true), (result.Actions[1].Outcome, result.Actions[1].Target.Contains("Runbook Tester.exe (PID 4200", StringComparison.Ordinal)));
        Assert.Contains("may still be open", result.Actions[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_while_reading_a_host_returns_a_cancelled_result_saying_nothing_was_closed_there()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var result = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), new RecordingControl(ProgramCloseOutcome.Closed)).RunAsync(Environment, cts.Token);

        Assert.True(result.Cancelled);
        var action = Assert.Single(result.Actions);
        Assert.Equal(("orch-ms01", ActionOutcome.Cancelled), (action.Target, action.Outcome));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Closes the first program; Ctrl+C comes while the second is asked to close.</summary>
    private sealed class CancelledAtSecondControl(CancellationTokenSource cts) : IProgramControlSource, IProgramControl
    {
        private int _calls;

        public IProgramControl For(HostConfig host) => this;

        public async Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken)
        {
            if (++_calls == 1)
            {
                return ProgramCloseOutcome.Closed;
            }

            await cts.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return ProgramCloseOutcome.Closed;
        }
    }

    private sealed class RecordingControl(ProgramCloseOutcome outcome) : IProgramControlSource, IProgramControl
    {
        public List<int> Closed { get; } = [];

        public IProgramControl For(HostConfig host) => this;

        public Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken)
        {
            Closed.Add(process.ProcessId);
            return Task.FromResult(outcome);
        }
    }

    private sealed class RefusingControl : IProgramControlSource
    {
        public IProgramControl For(HostConfig host) =>
            throw new HostFactsException($"{host.Name}: --close-programs only closes programs on the machine orchprep runs on (runner01)");
    }
}
