using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>
/// A service that does not stop (the 2022 hang the release notes document): prepare waits a bounded time, then reports
/// the state, the process ID and the workaround, ends a process only with --force-stop, and never loses the record
/// resume needs. Against the simulated hosts (a Runbook Service that stays StopPending) and a scripted control for the
/// guards the simulation cannot reach (PID changed, shared process, refused kill).
/// </summary>
public sealed class ServiceStopperTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static EnvironmentConfig Environment(params HostConfig[] hosts) => new() { Name = "test", Hosts = hosts };

    private static HostConfig RunbookServer(string name) => new() { Name = name, Roles = [HostRole.RunbookServer] };

    /// <summary>rb01's Runbook Service takes a stop and never finishes it.</summary>
    private SandboxOrchestrator HangingWorld()
    {
        var profile = TestWorlds.Profile();
        profile = profile with { Services = [.. profile.Services.Select(s => s.Host == "rb01" ? s with { HangsOnStop = true } : s)] };
        return new SandboxOrchestrator(profile, _time);
    }

    private PrepareState NewState() => new() { Environment = "test", UpdatedAt = _time.GetUtcNow() };

    /// <summary>Runs <paramref name="task"/> while the fake clock moves on, so the bounded wait can end.</summary>
    private async Task<T> Advancing<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return await task;
    }

    private async Task<BlockResult> BlockAsync(SandboxOrchestrator world, bool forceStop, List<PrepareState> saved, IServiceControlSource? source = null) =>
        await Advancing(new RunbookServiceBlock(source ?? new SandboxServiceControlSource(world, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = forceStop })
            .RunAsync(Environment(RunbookServer("rb01"), RunbookServer("rb02")), NewState(), saved.Add, TestContext.Current.CancellationToken));

    [Fact]
    public async Task A_service_left_StopPending_is_unmet_naming_host_state_pid_wait_and_workaround_and_no_process_is_ended()
    {
        var world = HangingWorld();
        var pid = world.Services("rb01").Single().ProcessId;
        var saved = new List<PrepareState>();

        var result = await BlockAsync(world, forceStop: false, saved);

        var outcome = result.ToOutcome();
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Equal(["rb01"], result.FailedHosts);
        Assert.Equal(["rb02"], result.BlockedHosts);
        var hung = Assert.Single(result.Actions, a => a.Target == "rb01: orunbook");
        Assert.Equal(ActionOutcome.Failed, hung.Outcome);
        Assert.Contains("Orchestrator Runbook Service (orunbook) on rb01 did not stop within 5s (waited ", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("): it reports StopPending, process ID " + pid + ".", hung.Detail, StringComparison.Ordinal);
        Assert.Contains($"on rb01 run `taskkill /f /pid {pid}`", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("orchprep ended no process", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("`orchprep resume` starts it again", hung.Detail, StringComparison.Ordinal);
        Assert.Contains($"taskkill /f /pid {pid}", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("--force-stop", outcome.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Actions, a => a.Target == "rb01: orunbook" && a.Outcome is ActionOutcome.Stopped or ActionOutcome.ForceStopped);

        // Nothing was ended: the service is still StopPending in its process, and it stays recorded for resume.
        Assert.Equal("StopPending", world.Services("rb01").Single().State);
        Assert.Equal(pid, world.Services("rb01").Single().ProcessId);
        Assert.DoesNotContain(world.Changes, c => c.Contains("ended", StringComparison.Ordinal));
        Assert.Equal(["rb01", "rb02"], result.State.StoppedServices.Select(s => s.Host));
        Assert.Equal(["rb01", "rb02"], saved[^1].StoppedServices.Select(s => s.Host));
    }

    [Fact]
    public async Task Force_stop_ends_the_services_own_process_records_force_stopped_and_resume_starts_it_again()
    {
        var world = HangingWorld();
        var pid = world.Services("rb01").Single().ProcessId;
        var saved = new List<PrepareState>();

        var result = await BlockAsync(world, forceStop: true, saved);

        Assert.Equal(CheckStatus.Met, result.ToOutcome().Status);
        var forced = Assert.Single(result.Actions, a => a.Target == "rb01: orunbook");
        Assert.Equal(ActionOutcome.ForceStopped, forced.Outcome);
        Assert.Equal("force-stopped", WireNames.Of(forced.Outcome));
        Assert.Contains($"--force-stop ended process {pid}", forced.Detail, StringComparison.Ordinal);
        Assert.Equal("Stopped", world.Services("rb01").Single().State);
        Assert.Contains($"rb01: process {pid} of service orunbook ended", world.Changes);
        Assert.Equal(["rb01", "rb02"], result.State.StoppedServices.Select(s => s.Host));

        var resumed = await new RunbookResume(new SandboxServiceControlSource(world), null, _time)
            .RunAsync(Environment(RunbookServer("rb01"), RunbookServer("rb02")), result.State, _ => { }, TestContext.Current.CancellationToken);

        Assert.True(resumed.State.IsEmpty);
        Assert.All(world.Services("rb01").Concat(world.Services("rb02")), s => Assert.Equal("Running", s.State));
    }

    [Fact]
    public async Task Resume_after_a_hang_says_the_service_is_still_stopping_with_its_pid_and_keeps_it_for_the_next_resume()
    {
        var world = HangingWorld();
        var pid = world.Services("rb01").Single().ProcessId;
        var result = await BlockAsync(world, forceStop: false, []);
        PrepareState? last = null;

        var resumed = await new RunbookResume(new SandboxServiceControlSource(world), null, _time)
            .RunAsync(Environment(RunbookServer("rb01"), RunbookServer("rb02")), result.State, s => last = s, TestContext.Current.CancellationToken);

        var pending = Assert.Single(resumed.Actions, a => a.Target == "rb01: orunbook");
        Assert.Equal(ActionOutcome.Failed, pending.Outcome);
        Assert.Contains($"StopPending, process ID {pid}", pending.Detail, StringComparison.Ordinal);
        Assert.Contains($"`taskkill /f /pid {pid}`", pending.Detail, StringComparison.Ordinal);
        Assert.Equal(["rb01"], resumed.State.StoppedServices.Select(s => s.Host));
        Assert.Equal(["rb01"], last!.StoppedServices.Select(s => s.Host));
        Assert.Equal("Running", world.Services("rb02").Single().State);

        // Once the process is gone (the workaround, by hand), the next resume starts it.
        Assert.True(world.EndServiceProcess("rb01", pid));
        var again = await new RunbookResume(new SandboxServiceControlSource(world), null, _time)
            .RunAsync(Environment(RunbookServer("rb01"), RunbookServer("rb02")), resumed.State, _ => { }, TestContext.Current.CancellationToken);
        Assert.True(again.State.IsEmpty);
        Assert.Equal("Running", world.Services("rb01").Single().State);
    }

    [Fact]
    public async Task A_second_prepare_never_calls_a_service_still_StopPending_already_stopped_and_force_stop_then_ends_it()
    {
        var world = HangingWorld();
        var pid = world.Services("rb01").Single().ProcessId;
        var environment = Environment(RunbookServer("rb01"), RunbookServer("rb02"));
        var first = await BlockAsync(world, forceStop: false, []);

        var again = await new RunbookServiceBlock(new SandboxServiceControlSource(world, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound })
            .RunAsync(environment, first.State, _ => { }, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, again.ToOutcome().Status);
        var pending = Assert.Single(again.Actions, a => a.Target == "rb01: orunbook");
        Assert.Equal(ActionOutcome.Failed, pending.Outcome);
        Assert.Contains($"is StopPending: a stop requested earlier (by an earlier prepare or by someone else) has not finished, process ID {pid}.", pending.Detail, StringComparison.Ordinal);
        Assert.Contains("`orchprep resume` starts it again once it has stopped", pending.Detail, StringComparison.Ordinal);
        Assert.Equal("StopPending", world.Services("rb01").Single().State);

        var forced = await new RunbookServiceBlock(new SandboxServiceControlSource(world, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .RunAsync(environment, again.State, _ => { }, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Met, forced.ToOutcome().Status);
        Assert.Equal(ActionOutcome.ForceStopped, Assert.Single(forced.Actions, a => a.Target == "rb01: orunbook").Outcome);
        Assert.Equal("Stopped", world.Services("rb01").Single().State);
        Assert.Equal(["rb01", "rb02"], forced.State.StoppedServices.Select(s => s.Host));
    }

    [Fact]
    public async Task A_service_someone_else_left_StopPending_is_not_recorded_and_resume_is_told_to_leave_it()
    {
        var world = HangingWorld();
        world.SetServiceRunning("rb01", "orunbook", false);

        var result = await new RunbookServiceBlock(new SandboxServiceControlSource(world, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound })
            .RunAsync(Environment(RunbookServer("rb01")), NewState(), _ => { }, TestContext.Current.CancellationToken);

        var pending = Assert.Single(result.Actions);
        Assert.Equal(ActionOutcome.Failed, pending.Outcome);
        Assert.Contains("orchprep did not stop it, so resume leaves it.", pending.Detail, StringComparison.Ordinal);
        Assert.Empty(result.State.StoppedServices);
    }

    [Fact]
    public async Task A_cancel_during_the_bounded_wait_keeps_the_record_and_ends_no_process()
    {
        var world = HangingWorld();
        var saved = new List<PrepareState>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var block = new RunbookServiceBlock(new SandboxServiceControlSource(world, time: _time), _time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .RunAsync(Environment(RunbookServer("rb01")), NewState(), saved.Add, cts.Token);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(block.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block);
        Assert.Equal(["rb01"], Assert.Single(saved).StoppedServices.Select(s => s.Host));
        Assert.Equal("StopPending", world.Services("rb01").Single().State);
        Assert.DoesNotContain(world.Changes, c => c.Contains("ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancel_that_lands_before_the_stop_reaches_the_service_takes_the_record_back()
    {
        var world = new SandboxOrchestrator(TestWorlds.Profile(), _time);
        var saved = new List<PrepareState>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var block = new RunbookServiceBlock(new CancelledBeforeSendSource(new SandboxServiceControlSource(world, time: _time), cts), _time, new ServiceStopOptions { StopTimeout = Bound })
            .RunAsync(Environment(RunbookServer("rb01")), NewState(), saved.Add, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => block);
        // Written before the stop, then taken back: the service still runs, so no report may say its stop was sent.
        Assert.Equal(2, saved.Count);
        Assert.Equal(["rb01"], saved[0].StoppedServices.Select(s => s.Host));
        Assert.Empty(saved[1].StoppedServices);
        Assert.Equal("Running", world.Services("rb01").Single().State);
    }

    /// <summary>A control whose stop is cancelled (Ctrl+C) before it reaches the Service Control Manager.</summary>
    private sealed class CancelledBeforeSendSource(IServiceControlSource inner, CancellationTokenSource run) : IServiceControlSource
    {
        public IServiceControl For(HostConfig host) => new Control(inner.For(host), run);

        private sealed class Control(IServiceControl inner, CancellationTokenSource run) : IServiceControl
        {
            public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(CancellationToken.None);

            public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken)
            {
                run.Cancel();
                return Task.FromCanceled(cancellationToken);
            }

            public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => inner.StartAsync(serviceName, timeout, cancellationToken);

            public Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken) => inner.QueryAsync(serviceName, cancellationToken);

            public Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken) => inner.EndProcessAsync(processId, timeout, cancellationToken);
        }
    }

    [Fact]
    public async Task Force_stop_refused_with_access_denied_is_unmet_with_the_workaround_and_the_record_stays()
    {
        var world = HangingWorld();
        var pid = world.Services("rb01").Single().ProcessId;
        var saved = new List<PrepareState>();
        var source = new KillDenied(new SandboxServiceControlSource(world, time: _time));

        var result = await BlockAsync(world, forceStop: true, saved, source);

        Assert.Equal(CheckStatus.Unmet, result.ToOutcome().Status);
        var hung = Assert.Single(result.Actions, a => a.Target == "rb01: orunbook");
        Assert.Equal(ActionOutcome.Failed, hung.Outcome);
        Assert.Contains($"--force-stop could not end process {pid}: rb01: ending process {pid} was refused", hung.Detail, StringComparison.Ordinal);
        Assert.Contains($"`taskkill /f /pid {pid}`", hung.Detail, StringComparison.Ordinal);
        Assert.Equal("StopPending", world.Services("rb01").Single().State);
        Assert.Contains("rb01", saved[^1].StoppedServices.Select(s => s.Host));
    }

    [Fact]
    public async Task Force_stop_ends_nothing_when_the_pid_changed_between_the_wait_and_the_kill()
    {
        var control = new ScriptedControl(Info(4242), Info(5150));

        var stop = await new ServiceStopper(_time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .StopAsync(control, "rb01", Info(4242) with { State = "Running" }, TestContext.Current.CancellationToken);

        Assert.Equal(ServiceStopEnd.NotStopped, stop.End);
        Assert.Contains("its process ID changed from 4242 to 5150", stop.Detail, StringComparison.Ordinal);
        Assert.Contains("`taskkill /f /pid 5150`", stop.Detail, StringComparison.Ordinal);
        Assert.Empty(control.Ended);
    }

    [Theory]
    [InlineData(@"C:\Windows\system32\svchost.exe -k netsvcs -p", null)]
    [InlineData(@"""C:\Windows\System32\svchost.exe"" -k LocalService", false)]
    [InlineData(@"""C:\Program Files\Microsoft System Center\Orchestrator\Runbook Server\RunbookService.exe""", true)]
    [InlineData(null, null)]
    [InlineData(null, true)]
    public async Task Force_stop_never_ends_a_process_it_cannot_prove_is_the_services_own(string? pathName, bool? sharesProcess)
    {
        var info = Info(4242) with { PathName = pathName, SharesProcess = sharesProcess };
        var control = new ScriptedControl(info, info);

        var stop = await new ServiceStopper(_time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .StopAsync(control, "rb01", info with { State = "Running" }, TestContext.Current.CancellationToken);

        Assert.Equal(ServiceStopEnd.NotStopped, stop.End);
        Assert.Contains("--force-stop ended nothing", stop.Detail, StringComparison.Ordinal);
        Assert.Empty(control.Ended);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(null)]
    public async Task Force_stop_ends_nothing_without_a_process_id_and_the_workaround_says_how_to_find_it(int? pid)
    {
        var info = Info(0) with { ProcessId = pid };
        var control = new ScriptedControl(info, info);

        var stop = await new ServiceStopper(_time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .StopAsync(control, "rb01", info with { State = "Running" }, TestContext.Current.CancellationToken);

        Assert.Equal(ServiceStopEnd.NotStopped, stop.End);
        Assert.Contains("`sc queryex orunbook`", stop.Detail, StringComparison.Ordinal);
        Assert.Empty(control.Ended);
    }

    [Fact]
    public async Task A_service_that_stopped_just_after_the_bound_is_stopped_and_nothing_is_ended()
    {
        var control = new ScriptedControl(Info(0) with { State = "Stopped" });

        var stop = await new ServiceStopper(_time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true })
            .StopAsync(control, "rb01", Info(4242) with { State = "Running" }, TestContext.Current.CancellationToken);

        Assert.Equal(ServiceStopEnd.Stopped, stop.End);
        Assert.Contains("later than its 5s bound", stop.Detail, StringComparison.Ordinal);
        Assert.Empty(control.Ended);
    }

    [Fact]
    public async Task A_process_ended_whose_service_still_does_not_report_stopped_is_not_called_stopped()
    {
        var info = Info(4242);
        var control = new ScriptedControl(info, info, info);

        var stop = await Advancing(new ServiceStopper(_time, new ServiceStopOptions { StopTimeout = Bound, ForceStop = true, SettleTimeout = TimeSpan.FromSeconds(3) })
            .StopAsync(control, "rb01", info with { State = "Running" }, TestContext.Current.CancellationToken));

        Assert.Equal(ServiceStopEnd.NotStopped, stop.End);
        Assert.Equal([4242], control.Ended);
        Assert.Contains("--force-stop ended process 4242, but Orchestrator Runbook Service still reports StopPending 3s later", stop.Detail, StringComparison.Ordinal);
    }

    private static ServiceInfo Info(int pid) =>
        new("orunbook", "Orchestrator Runbook Service", "StopPending", "Auto", @"""C:\Program Files\Microsoft System Center\Orchestrator\Runbook Server\RunbookService.exe""", ProcessId: pid, SharesProcess: false);

    /// <summary>A service whose stop never completes; each QueryAsync answers the next scripted state (the last one repeats).</summary>
    private sealed class ScriptedControl(params ServiceInfo?[] queries) : IServiceControl
    {
        private int _next;

        public List<int> Ended { get; } = [];

        public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ServiceInfo>>([]);

        public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => throw new TimeoutException($"{serviceName} did not reach Stopped");

        public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken) =>
            Task.FromResult(queries[Math.Min(_next++, queries.Length - 1)]);

        public Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Ended.Add(processId);
            return Task.FromResult(ProcessEndOutcome.Ended);
        }
    }

    /// <summary>The simulated hosts, except that ending a process is refused (the account may stop services but not end processes).</summary>
    private sealed class KillDenied(IServiceControlSource inner) : IServiceControlSource
    {
        public IServiceControl For(HostConfig host) => new Control(inner.For(host), host.Name);

        private sealed class Control(IServiceControl inner, string host) : IServiceControl
        {
            public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

            public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => inner.StopAsync(serviceName, timeout, cancellationToken);

            public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => inner.StartAsync(serviceName, timeout, cancellationToken);

            public Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken) => inner.QueryAsync(serviceName, cancellationToken);

            public Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken) =>
                throw new UnauthorizedAccessException($"{host}: ending process {processId} was refused (Win32_Process.Terminate returned 2: access denied)");
        }
    }
}
