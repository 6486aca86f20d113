using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>The drain on a fake clock: jobs of the simulated Orchestrator end on that clock, so no test sleeps for real.</summary>
public sealed class RunbookDrainTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private async Task<DrainResult> RunAsync(RunbookDrain drain, List<DrainStatus>? seen = null, List<OrchestratorJob>? recorded = null)
    {
        var progress = new SynchronousProgress(seen ?? []);
        var task = drain.RunAsync(progress, recorded is null ? null : recorded.Add, TestContext.Current.CancellationToken);
        // Advance the fake clock in small steps until the drain ends (bounded: 2 fake hours).
        for (var i = 0; i < 7200 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(2, TestContext.Current.CancellationToken));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return await task;
    }

    private RunbookDrain Drain(WorldOrchestratorApi web, DrainMode mode = DrainMode.Wait, TimeSpan? timeout = null, MonitorPolicy monitors = MonitorPolicy.Stop) =>
        new(new RunbookInventory(web, null), _time, new DrainPolicy { Mode = mode, Timeout = timeout ?? TimeSpan.FromMinutes(30), PollInterval = Poll, Monitors = monitors });

    [Fact]
    public async Task Wait_notices_the_last_job_finishing_within_one_poll_interval_and_stops_the_monitor_at_once()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(35));
        var web = new WorldOrchestratorApi(world);
        var seen = new List<DrainStatus>();
        var recorded = new List<OrchestratorJob>();

        var result = await RunAsync(Drain(web), seen, recorded);

        Assert.Equal(DrainEnd.Drained, result.End);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(35) + Poll);
        Assert.Equal(5, result.Polls);
        Assert.Equal(result.Polls, web.Reads);
        var monitor = Assert.Single(result.StoppedMonitors);
        Assert.Equal(TestWorlds.Monitor, monitor.RunbookName);
        Assert.Equal([monitor.Id], recorded.Select(m => m.Id));
        Assert.Equal([monitor.Id], web.StopRequests);
        Assert.All(seen.Take(4), s => Assert.Equal(TestWorlds.Short, Assert.Single(s.WaitingFor).RunbookName));
        Assert.Empty(seen[^1].WaitingFor);
    }

    [Fact]
    public async Task Wait_gives_up_at_the_timeout_naming_the_job_and_stops_nothing_but_the_monitor()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withLong: true);
        var web = new WorldOrchestratorApi(world);

        var result = await RunAsync(Drain(web, timeout: TimeSpan.FromMinutes(1)));

        Assert.Equal(DrainEnd.TimedOut, result.End);
        Assert.Equal(TestWorlds.Long, Assert.Single(result.StillActive).RunbookName);
        Assert.InRange(result.Elapsed, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + Poll);
        Assert.Single(web.StopRequests);
        var outcome = result.ToOutcome();
        Assert.Equal(Model.CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"\Test\Long job", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_with_timeout_zero_stops_everything_at_once_and_confirms_it()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10), withLong: true);
        var web = new WorldOrchestratorApi(world);

        var result = await RunAsync(Drain(web, DrainMode.Stop, TimeSpan.Zero));

        Assert.Equal(DrainEnd.Drained, result.End);
        Assert.Equal(TimeSpan.Zero, result.Elapsed);
        Assert.Equal(3, web.StopRequests.Count);
        Assert.Equal(3, result.Actions.Count(a => a.Outcome == ActionOutcome.Stopped));
        Assert.DoesNotContain(world.Jobs(), j => j.Status == "Running");
    }

    [Fact]
    public async Task A_pending_job_the_web_service_refuses_to_cancel_is_cancelled_through_the_database()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10), withMonitor: false, withPending: true);
        await using var sql = await Sandbox.SqlServer.SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var inventory = new RunbookInventory(new WorldOrchestratorApi(world), new OrchestratorDatabase(sql.Connector()));
        var drain = new RunbookDrain(inventory, _time, new DrainPolicy { Mode = DrainMode.Stop, Timeout = TimeSpan.Zero, PollInterval = Poll });

        var result = await drain.RunAsync(null, null, TestContext.Current.CancellationToken);

        Assert.Equal(DrainEnd.Drained, result.End);
        var pendingStop = Assert.Single(result.Actions, a => a.Detail.Contains("CancelJob", StringComparison.Ordinal));
        Assert.Contains("answered 400", pendingStop.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_ignores_the_stop_ends_the_drain_as_stop_failed_not_as_drained()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10), withMonitor: false);
        var web = new WorldOrchestratorApi(world) { IgnoreStops = true };

        var result = await RunAsync(Drain(web, DrainMode.Stop, TimeSpan.Zero));

        Assert.Equal(DrainEnd.StopFailed, result.End);
        Assert.Single(result.StillActive);
        Assert.Equal(Model.CheckStatus.Unmet, result.ToOutcome().Status);
    }

    [Fact]
    public async Task Jobs_that_keep_reappearing_after_a_stop_end_as_a_failed_stop_within_the_grace_window()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromHours(1), withMonitor: false);
        var web = new WorldOrchestratorApi(world) { RespawnStopped = true };

        var result = await RunAsync(Drain(web, DrainMode.Stop, TimeSpan.Zero));

        Assert.Equal(DrainEnd.StopFailed, result.End);
        Assert.InRange(result.Elapsed, RunbookDrain.StopGrace, RunbookDrain.StopGrace + Poll);
        Assert.InRange(web.StopRequests.Count, 2, 5);
        Assert.Equal(TestWorlds.Short, Assert.Single(result.StillActive).RunbookName);
        Assert.Contains("stayed active after a stop request", result.ToOutcome().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitors_left_by_policy_are_neither_stopped_nor_waited_for()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5));
        var web = new WorldOrchestratorApi(world);

        var result = await RunAsync(Drain(web, monitors: MonitorPolicy.Leave));

        Assert.Equal(DrainEnd.Drained, result.End);
        Assert.Empty(web.StopRequests);
        Assert.Empty(result.StoppedMonitors);
    }

    [Fact]
    public async Task Orphans_are_not_waited_for()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withMonitor: false, withOrphan: true);
        await using var sql = await Sandbox.SqlServer.SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var drain = new RunbookDrain(new RunbookInventory(new WorldOrchestratorApi(world), new OrchestratorDatabase(sql.Connector())), _time,
            new DrainPolicy { Timeout = TimeSpan.FromMinutes(5), PollInterval = Poll });

        var result = await RunAsync(drain);

        Assert.Equal(DrainEnd.Drained, result.End);
        Assert.Contains(result.LastSnapshot.Jobs, j => j.IsOrphaned);
    }

    [Fact]
    public async Task No_source_answering_ends_the_drain_as_unknown_without_waiting()
    {
        var web = new WorldOrchestratorApi(TestWorlds.Create(_time, TimeSpan.FromMinutes(1))) { Down = true };

        var result = await RunAsync(Drain(web));

        Assert.Equal(DrainEnd.SourcesUnavailable, result.End);
        Assert.Equal(1, result.Polls);
        Assert.Equal(Model.CheckStatus.Error, result.ToOutcome().Status);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_promptly()
    {
        var web = new WorldOrchestratorApi(TestWorlds.Create(_time, TimeSpan.FromHours(1)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var task = Drain(web).RunAsync(null, null, cancel.Token);
        _time.Advance(Poll);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(-72)]
    public async Task A_wall_clock_jump_on_the_runner_mid_drain_neither_ends_nor_stretches_the_timeout(int jumpHours)
    {
        // NTP stepping the runner's clock (or an admin fixing it) mid-drain: the timeout is measured on the monotonic
        // timestamp, so a jump a day ahead does not end the drain at once and one three days back does not make it wait days.
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5), withLong: true);
        var web = new WorldOrchestratorApi(world);
        var clock = new JumpingClock(_time);
        var drain = new RunbookDrain(new RunbookInventory(web, null), clock,
            new DrainPolicy { Mode = DrainMode.Wait, Timeout = TimeSpan.FromMinutes(1), PollInterval = Poll, Monitors = MonitorPolicy.Stop });
        var progress = new JumpAtFirstReport(clock, TimeSpan.FromHours(jumpHours));

        var task = drain.RunAsync(progress, null, TestContext.Current.CancellationToken);
        for (var i = 0; i < 7200 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(2, TestContext.Current.CancellationToken));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var result = await task;
        Assert.True(progress.Jumped);
        Assert.Equal(DrainEnd.TimedOut, result.End);
        Assert.InRange(result.Elapsed, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + Poll);
        Assert.InRange(result.Polls, 6, 8);
        Assert.Contains("1m", result.ToOutcome().Detail, StringComparison.Ordinal);
    }

    /// <summary>A runner whose wall clock is stepped: GetUtcNow jumps by <see cref="Offset"/>; the monotonic timestamp and timers do not.</summary>
    private sealed class JumpingClock(FakeTimeProvider inner) : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    private sealed class JumpAtFirstReport(JumpingClock clock, TimeSpan jump) : IProgress<DrainStatus>
    {
        public bool Jumped { get; private set; }

        public void Report(DrainStatus value)
        {
            if (!Jumped)
            {
                clock.Offset += jump;
                Jumped = true;
            }
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want every report, in order, before the drain returns.</summary>
    private sealed class SynchronousProgress(List<DrainStatus> seen) : IProgress<DrainStatus>
    {
        public void Report(DrainStatus value) => seen.Add(value);
    }
}
