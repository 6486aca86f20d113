using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>Resume against the simulated hosts' services and web service port.</summary>
public sealed class RunbookResumeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static EnvironmentConfig Environment(params HostConfig[] hosts) => new() { Name = "test", Hosts = hosts };

    private static HostConfig RunbookServer(string name) => new() { Name = name, Roles = [HostRole.RunbookServer] };

    [Fact]
    public async Task Resume_starts_the_services_then_the_monitors_and_a_second_resume_changes_nothing()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5));
        var web = new WorldOrchestratorApi(world);
        var services = new SandboxServiceControlSource(world);
        var monitorJob = world.Jobs().Single(j => world.Runbook(j.RunbookId)!.IsMonitor);
        world.CancelFromWebService(monitorJob.Id, null);
        world.SetServiceRunning("rb01", "orunbook", false);
        var state = new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }
            .With(new StoppedService("rb01", "orunbook", "Orchestrator Runbook Service", _time.GetUtcNow()), _time.GetUtcNow())
            .With(new StoppedMonitor(monitorJob.RunbookId, @"\Monitors\Monitor mailbox", monitorJob.Id, _time.GetUtcNow()), _time.GetUtcNow());
        var environment = Environment(RunbookServer("rb01"));
        PrepareState? last = null;

        var first = await new RunbookResume(services, web, _time).RunAsync(environment, state, s => last = s, TestContext.Current.CancellationToken);
        var second = await new RunbookResume(services, web, _time).RunAsync(environment, first.State, s => last = s, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Met, first.ToOutcome("state.json").Status);
        Assert.True(world.Services("rb01").Single().Running);
        Assert.Equal([monitorJob.RunbookId], web.StartRequests);
        Assert.Contains(world.Jobs(), j => j.RunbookId == monitorJob.RunbookId && j.Status == "Running");
        Assert.True(last!.IsEmpty);
        Assert.Empty(second.Actions);
    }

    [Fact]
    public async Task Without_a_web_service_a_monitor_stays_in_the_state_with_the_manual_step()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5));
        var state = new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }
            .With(new StoppedMonitor(Guid.NewGuid(), @"\Monitors\Monitor mailbox", Guid.NewGuid(), _time.GetUtcNow()), _time.GetUtcNow());

        var result = await new RunbookResume(new SandboxServiceControlSource(world), null, _time).RunAsync(Environment(), state, _ => { }, TestContext.Current.CancellationToken);

        Assert.Single(result.State.StoppedMonitors);
        var outcome = result.ToOutcome("state.json");
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(result.Actions, a => a.Detail.Contains("Runbook Designer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_that_left_the_config_keeps_its_entry_for_a_later_resume()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5));
        var state = new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }
            .With(new StoppedService("rb09", "orunbook", "Orchestrator Runbook Service", _time.GetUtcNow()), _time.GetUtcNow());

        var result = await new RunbookResume(new SandboxServiceControlSource(world), null, _time).RunAsync(Environment(RunbookServer("rb01")), state, _ => { }, TestContext.Current.CancellationToken);

        Assert.Single(result.State.StoppedServices);
        Assert.Contains(result.Actions, a => a.Outcome == ActionOutcome.Failed && a.Detail.Contains("not in environment", StringComparison.Ordinal));
    }
}
