using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare.ClosePrograms;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prepare.ClosePrograms;

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

        var actions = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), control).RunAsync(Environment, TestContext.Current.CancellationToken);

        Assert.Equal([4000, 4200], control.Closed);
        Assert.Equal(2, actions.Count);
        Assert.Contains(@"CONTOSO\jdoe", actions[0].Target, StringComparison.Ordinal);
        Assert.Contains("the user of session 3", actions[1].Target, StringComparison.Ordinal);
        Assert.All(actions, a => Assert.Equal("ended", a.Outcome));
        Assert.Contains("unsaved work in it is lost", actions[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_whose_programs_cannot_be_closed_from_here_is_a_failed_action_not_a_crash()
    {
        var actions = await new OrchestratorProgramCloser(new FakeHostFactsSource(Host()), new RefusingControl()).RunAsync(Environment, TestContext.Current.CancellationToken);

        var action = Assert.Single(actions);
        Assert.Equal("failed", action.Outcome);
        Assert.Contains("only closes programs on the machine", action.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_open_means_no_action_and_no_control_is_asked_for()
    {
        var host = Host();
        host.Processes = [new ProcessInfo(4100, "notepad.exe", null, null, 2)];

        var actions = await new OrchestratorProgramCloser(new FakeHostFactsSource(host), new RefusingControl()).RunAsync(Environment, TestContext.Current.CancellationToken);

        Assert.Empty(actions);
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
