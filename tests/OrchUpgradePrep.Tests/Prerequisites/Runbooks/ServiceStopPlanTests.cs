using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>
/// Block starts with a stop plan (docs/adr/0024-stop-omonitor-oremoting-on-2022.md): after every Runbook Service, the
/// planned management services go through the same stopper, are recorded before the stop, and resume starts them;
/// a service not installed is evidence, not a failure; a hang is unmet with its PID, and --force-stop ends it.
/// </summary>
public sealed class ServiceStopPlanTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static readonly EnvironmentConfig Environment = new()
    {
        Name = "test",
        Hosts = [new HostConfig { Name = "ms01", Roles = [HostRole.ManagementServer, HostRole.RunbookServer] }, new HostConfig { Name = "rb02", Roles = [HostRole.RunbookServer] }],
    };

    private static readonly ServiceStopPlan Plan2022 = new()
    {
        Stops = [new("ms01", ServiceStopPlan.RunbookServerMonitor), new("ms01", ServiceStopPlan.RemotingService)],
    };

    /// <summary>ms01: management server and runbook server; rb02: runbook server.</summary>
    private SandboxOrchestrator World(bool monitorHangs = false, bool withRemoting = true)
    {
        SandboxServiceSeed[] services =
        [
            new("ms01", "omanagement", "Orchestrator Management Service"),
            new("ms01", "omonitor", "Orchestrator Runbook Server Monitor", HangsOnStop: monitorHangs),
            .. withRemoting ? [new SandboxServiceSeed("ms01", "oremoting", "Orchestrator Remoting Service")] : Array.Empty<SandboxServiceSeed>(),
            new("ms01", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
            new("rb02", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
        ];
        return new SandboxOrchestrator(TestWorlds.Profile() with { Services = services }, _time);
    }

    private string State(SandboxOrchestrator world, string host, string name) => world.Services(host).Single(s => s.Name == name).State;

    private async Task<T> Advancing<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return await task;
    }

    private async Task<BlockResult> BlockAsync(SandboxOrchestrator world, ServiceStopPlan plan, List<PrepareState>? saved = null, bool forceStop = false, IReadOnlyCollection<string>? denied = null) =>
        await Advancing(new RunbookServiceBlock(new SandboxServiceControlSource(world, accessDeniedHosts: denied, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = forceStop }, plan)
            .RunAsync(Environment, new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, (saved ?? []).Add, TestContext.Current.CancellationToken));

    [Fact]
    public async Task On_2022_the_runbook_services_stop_first_then_omonitor_and_oremoting_each_recorded_before_its_stop()
    {
        var world = World();
        var saved = new List<PrepareState>();

        var result = await BlockAsync(world, Plan2022, saved);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Equal(["ms01: orunbook", "rb02: orunbook", "ms01: omonitor", "ms01: oremoting"], result.Actions.Select(a => a.Target));
        Assert.All(result.Actions, a => Assert.Equal(ActionOutcome.Stopped, a.Outcome));
        Assert.Equal(["ms01", "rb02"], result.BlockedHosts);
        Assert.Equal(["ms01: omonitor", "ms01: oremoting"], result.StoppedServices);
        Assert.Contains("Also stopped, as Orchestrator 2022's release notes say they may not stop: ms01: omonitor, ms01: oremoting.", outcome.Detail, StringComparison.Ordinal);
        // Each service is in the saved state before it is stopped: the save before omonitor's stop already lists it.
        Assert.Equal(["orunbook", "orunbook", "omonitor", "oremoting"], saved[^1].StoppedServices.Select(s => s.Name));
        Assert.Equal(4, saved.Count);
        Assert.Equal("Running", State(world, "ms01", "omanagement"));
        Assert.Equal("Stopped", State(world, "ms01", "omonitor"));

        var resumed = await new RunbookResume(new SandboxServiceControlSource(world), null, _time).RunAsync(Environment, result.State, _ => { }, TestContext.Current.CancellationToken);

        Assert.True(resumed.State.IsEmpty);
        Assert.Equal(["ms01: orunbook", "rb02: orunbook", "ms01: omonitor", "ms01: oremoting"], resumed.Actions.Where(a => a.Outcome == ActionOutcome.Started).Select(a => a.Target));
        Assert.All(world.Services("ms01").Concat(world.Services("rb02")), s => Assert.Equal("Running", s.State));
    }

    [Fact]
    public async Task Without_planned_stops_only_the_runbook_services_stop_and_the_reason_is_evidence()
    {
        var world = World();
        var plan = new ServiceStopPlan { Reasons = [new Evidence("ms01: omonitor, oremoting", "not stopped: the installed Orchestrator is 2019 UR3 (10.19.126.0)")] };

        var result = await BlockAsync(world, plan);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Equal(["ms01: orunbook", "rb02: orunbook"], result.Actions.Select(a => a.Target));
        Assert.Contains(outcome.Evidence, e => e.Source == "ms01: omonitor, oremoting" && e.Value.Contains("2019 UR3", StringComparison.Ordinal));
        Assert.DoesNotContain("Also stopped", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal("Running", State(world, "ms01", "omonitor"));
        Assert.Equal("Running", State(world, "ms01", "oremoting"));
    }

    [Fact]
    public async Task A_planned_service_that_is_not_installed_is_evidence_not_a_failure()
    {
        var world = World(withRemoting: false);

        var result = await BlockAsync(world, Plan2022);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.DoesNotContain(result.Actions, a => a.Target.Contains("oremoting", StringComparison.Ordinal));
        var note = Assert.Single(outcome.Evidence, e => e.Source == "ms01: oremoting");
        Assert.StartsWith("not installed (no service named oremoting, displayed as \"Orchestrator Remoting Service\" or running OrchestratorRemotingService.exe)", note.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(result.State.StoppedServices, s => s.Name == "oremoting");
    }

    [Fact]
    public async Task A_monitor_that_hangs_is_unmet_with_its_pid_and_workaround_ends_nothing_and_resume_keeps_it()
    {
        var world = World(monitorHangs: true);
        var pid = world.Services("ms01").Single(s => s.Name == "omonitor").ProcessId;

        var result = await BlockAsync(world, Plan2022);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Empty(result.FailedHosts);
        Assert.Equal(["ms01: omonitor"], result.FailedServices);
        Assert.StartsWith("Not stopped: ms01: omonitor.", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains($"process ID {pid}", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains($"on ms01 run `taskkill /f /pid {pid}`", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("--force-stop", outcome.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("orunbook) on those servers", outcome.Remediation, StringComparison.Ordinal);
        Assert.Equal("StopPending", State(world, "ms01", "omonitor"));
        Assert.Equal(pid, world.Services("ms01").Single(s => s.Name == "omonitor").ProcessId);
        Assert.Equal("Stopped", State(world, "ms01", "oremoting"));
        Assert.Contains(result.State.StoppedServices, s => s.Name == "omonitor");

        var resumed = await new RunbookResume(new SandboxServiceControlSource(world), null, _time).RunAsync(Environment, result.State, _ => { }, TestContext.Current.CancellationToken);

        var pending = Assert.Single(resumed.Actions, a => a.Target == "ms01: omonitor");
        Assert.Equal(ActionOutcome.Failed, pending.Outcome);
        Assert.Contains($"`taskkill /f /pid {pid}`", pending.Detail, StringComparison.Ordinal);
        Assert.Equal(["omonitor"], resumed.State.StoppedServices.Select(s => s.Name));
        Assert.Equal("Running", State(world, "ms01", "oremoting"));
    }

    [Fact]
    public async Task With_force_stop_a_hung_monitor_is_force_stopped_and_the_step_is_met()
    {
        var world = World(monitorHangs: true);
        var pid = world.Services("ms01").Single(s => s.Name == "omonitor").ProcessId;

        var result = await BlockAsync(world, Plan2022, forceStop: true);

        Assert.Equal(CheckStatus.Met, result.ToOutcome().Status);
        var forced = Assert.Single(result.Actions, a => a.Target == "ms01: omonitor");
        Assert.Equal(ActionOutcome.ForceStopped, forced.Outcome);
        Assert.Contains($"--force-stop ended process {pid}", forced.Detail, StringComparison.Ordinal);
        Assert.Equal("Stopped", State(world, "ms01", "omonitor"));
        Assert.Contains("ms01: omonitor", result.StoppedServices);
    }

    [Fact]
    public async Task When_a_runbook_service_cannot_be_stopped_no_management_service_is_stopped_and_the_evidence_says_why()
    {
        var world = World();

        var result = await BlockAsync(world, Plan2022, denied: ["rb02"]);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Equal(["rb02"], result.FailedHosts);
        Assert.DoesNotContain(result.Actions, a => a.Target is "ms01: omonitor" or "ms01: oremoting");
        Assert.Contains(outcome.Evidence, e => e.Source == "ms01: omonitor" && e.Value.Contains("new starts could not be blocked on rb02", StringComparison.Ordinal));
        Assert.Equal("Running", State(world, "ms01", "omonitor"));
        Assert.DoesNotContain(result.State.StoppedServices, s => s.Name is "omonitor" or "oremoting");
    }

    [Fact]
    public async Task A_refused_stop_on_a_management_server_is_unmet_naming_what_was_not_stopped_and_leaves_nothing_recorded_for_it()
    {
        var world = World();
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Hosts = [new HostConfig { Name = "ms01", Roles = [HostRole.ManagementServer] }, new HostConfig { Name = "rb02", Roles = [HostRole.RunbookServer] }],
        };
        var saved = new List<PrepareState>();

        var result = await Advancing(new RunbookServiceBlock(new SandboxServiceControlSource(world, accessDeniedHosts: ["ms01"], time: _time), _time, new ServiceStopOptions { StopTimeout = Bound }, Plan2022)
            .RunAsync(environment, new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, saved.Add, TestContext.Current.CancellationToken));

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Equal(["rb02"], result.BlockedHosts);
        Assert.Equal(["ms01: omonitor, oremoting"], result.FailedServices);
        Assert.StartsWith("Not stopped: ms01: omonitor, oremoting.", outcome.Detail, StringComparison.Ordinal);
        var refused = Assert.Single(result.Actions, a => a.Target == "ms01");
        Assert.Equal(ActionOutcome.Failed, refused.Outcome);
        Assert.Contains("Access is denied", refused.Detail, StringComparison.Ordinal);
        // The refused stop changed nothing: omonitor still runs and is not left in the state for resume.
        Assert.Equal("Running", State(world, "ms01", "omonitor"));
        Assert.Equal(["rb02"], result.State.StoppedServices.Select(s => s.Host));
        Assert.Equal(["rb02"], saved[^1].StoppedServices.Select(s => s.Host));
    }
}
