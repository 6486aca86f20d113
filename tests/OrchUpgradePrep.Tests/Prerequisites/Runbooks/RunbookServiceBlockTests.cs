using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>Block starts and resume against the simulated hosts' services (stopping a Runbook Service there has the real consequences).</summary>
public sealed class RunbookServiceBlockTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static EnvironmentConfig Environment(params HostConfig[] hosts) => new() { Name = "test", Hosts = hosts };

    private static HostConfig RunbookServer(string name, string? snapshot = null) => new() { Name = name, Roles = [HostRole.RunbookServer], Snapshot = snapshot };

    [Fact]
    public async Task Stops_the_runbook_service_on_every_runbook_server_and_records_only_what_it_stopped()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withMonitor: false);
        var saved = new List<PrepareState>();
        var environment = Environment(RunbookServer("rb01"), RunbookServer("rb03"), new HostConfig { Name = "web01", Roles = [HostRole.WebService] });

        var result = await new RunbookServiceBlock(new SandboxServiceControlSource(world), _time)
            .RunAsync(environment, new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, saved.Add, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Met, result.ToOutcome().Status);
        Assert.False(world.Services("rb01").Single().Running);
        Assert.Equal("rb01", Assert.Single(result.State.StoppedServices).Host);
        Assert.Contains(result.Actions, a => a.Target == "rb03: orunbook" && a.Outcome == ActionOutcome.AlreadyStopped);
        Assert.Single(saved);
    }

    [Fact]
    public async Task A_snapshot_host_or_a_host_without_the_service_makes_it_unmet_with_the_reason()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withMonitor: false);
        var services = new FallbackSource(new SandboxServiceControlSource(world), new OrchUpgradePrep.Platform.Services.WindowsServiceControlSource(_time, new OrchUpgradePrep.Platform.HostFacts.LocalMachine("test-runner")));
        var environment = Environment(RunbookServer("rb01"), RunbookServer("offline01", "snapshots/offline01"), RunbookServer("ghost"));

        var result = await new RunbookServiceBlock(services, _time)
            .RunAsync(environment, new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, _ => { }, TestContext.Current.CancellationToken);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Equal(["offline01", "ghost"], result.FailedHosts);
        Assert.Contains(result.Actions, a => a.Target == "offline01" && a.Detail.Contains("snapshot", StringComparison.Ordinal));
        Assert.Contains(result.Actions, a => a.Target == "ghost" && a.Detail.Contains("no Orchestrator Runbook Service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_service_is_found_by_display_name_or_binary_when_the_short_name_differs()
    {
        var identity = RunbookServiceBlock.RunbookService;
        Assert.Equal("RbSvc2", identity.Find([new ServiceInfo("RbSvc2", "Orchestrator Runbook Service", "Running", "Auto", null)])!.Name);
        Assert.Equal("custom", identity.Find([new ServiceInfo("custom", "Custom", "Running", "Auto", "\"C:\\Program Files\\Microsoft System Center\\Orchestrator\\Runbook Server\\RunbookService.exe\"")])!.Name);
        Assert.Null(identity.Find([new ServiceInfo("spooler", "Print Spooler", "Running", "Auto", @"C:\Windows\System32\spoolsv.exe")]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_stop_refused_with_access_denied_is_a_failure_naming_it_and_leaves_nothing_for_resume()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withMonitor: false);
        var saved = new List<PrepareState>();
        var environment = Environment(RunbookServer("rb01"), RunbookServer("rb02"));

        var result = await new RunbookServiceBlock(new SandboxServiceControlSource(world, accessDeniedHosts: ["rb01"]), _time)
            .RunAsync(environment, new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, saved.Add, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, result.ToOutcome().Status);
        Assert.Equal(["rb01"], result.FailedHosts);
        Assert.Equal(["rb02"], result.BlockedHosts);
        var denied = Assert.Single(result.Actions, a => a.Target == "rb01");
        Assert.Equal(ActionOutcome.Failed, denied.Outcome);
        Assert.Equal("Cannot open orunbook service on computer 'rb01'. Access is denied.", denied.Detail);
        Assert.True(world.Services("rb01").Single().Running);
        Assert.Equal(["rb02"], result.State.StoppedServices.Select(s => s.Host));
        Assert.Equal(["rb02"], saved[^1].StoppedServices.Select(s => s.Host));
    }

    [Fact]
    public async Task A_stop_whose_wait_is_cancelled_is_already_in_the_state_so_resume_starts_the_service()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withMonitor: false);
        var saved = new List<PrepareState>();
        var stopping = new List<ServiceStopping>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var block = new RunbookServiceBlock(new SandboxServiceControlSource(world, latency: TimeSpan.FromSeconds(30), time: _time), _time)
            .RunAsync(Environment(RunbookServer("rb01"), RunbookServer("rb02")), new PrepareState { Environment = "test", UpdatedAt = _time.GetUtcNow() }, saved.Add, cts.Token,
                new SynchronousProgress<ServiceStopping>(stopping.Add));

        // The Service Control Manager took the stop; Ctrl+C comes while orchprep waits for "Stopped".
        Assert.False(block.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block);
        Assert.Equal("rb01", Assert.Single(stopping).Host);
        Assert.False(world.Services("rb01").Single().Running);
        Assert.Equal(["rb01"], Assert.Single(saved).StoppedServices.Select(s => s.Host));
        Assert.True(world.Services("rb02").Single().Running);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Snapshot hosts go to the real adapter (which refuses them); the rest to the sandbox.</summary>
    private sealed class FallbackSource(IServiceControlSource sandbox, IServiceControlSource real) : IServiceControlSource
    {
        public IServiceControl For(HostConfig host) => host.Snapshot is null ? sandbox.For(host) : real.For(host);
    }
}
