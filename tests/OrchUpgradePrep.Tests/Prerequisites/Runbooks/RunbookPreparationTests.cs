using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>The runbook steps together: drain, then block only when nothing runs, then clear orphans only behind stopped services.</summary>
public sealed class RunbookPreparationTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static EnvironmentConfig Environment(DrainPolicy drain) => new()
    {
        Name = "test",
        Hosts = [new HostConfig { Name = "rb01", Roles = [HostRole.RunbookServer] }, new HostConfig { Name = "rb02", Roles = [HostRole.RunbookServer] }],
        Policies = new PoliciesConfig { Drain = drain },
    };

    private static DrainPolicy StopAtOnce(MonitorPolicy monitors = MonitorPolicy.Stop) => new() { Mode = DrainMode.Stop, Timeout = TimeSpan.Zero, PollInterval = TimeSpan.FromSeconds(1), Monitors = monitors };

    [Fact]
    public async Task Drains_records_the_monitor_then_blocks_and_the_state_holds_both()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10));
        var fs = new MockFileSystem();
        var store = new PrepareStateStore(fs, "/out");

        var result = await new RunbookPreparation(new RunbookInventory(new WorldOrchestratorApi(world), null), new SandboxServiceControlSource(world), store, _time)
            .RunAsync(Environment(StopAtOnce()), null, TestContext.Current.CancellationToken);

        Assert.True(result.Drained);
        Assert.Equal([CheckStatus.Met, CheckStatus.Met], result.Checks.Select(c => c.Status));
        var state = store.Load()!;
        Assert.Equal(["rb01", "rb02"], state.StoppedServices.Select(s => s.Host));
        Assert.Equal(TestWorlds.Monitor, Assert.Single(state.StoppedMonitors).Runbook.Split('\\')[^1]);
        Assert.All(world.Services("rb01").Concat(world.Services("rb02")), s => Assert.False(s.Running));
    }

    [Fact]
    public async Task Ctrl_C_while_blocking_starts_returns_a_cancelled_result_naming_what_was_already_stopped()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10));
        var store = new PrepareStateStore(new MockFileSystem(), "/out");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var services = new SandboxServiceControlSource(world, latency: TimeSpan.FromSeconds(30), time: _time);

        var running = new RunbookPreparation(new RunbookInventory(new WorldOrchestratorApi(world), null), services, store, _time)
            .RunAsync(Environment(StopAtOnce()), null, cts.Token);
        Assert.False(running.IsCompleted, "block starts should wait for rb01's Runbook Service to stop");
        await cts.CancelAsync();
        var result = await running;

        Assert.True(result.Cancelled);
        Assert.False(result.Drained);
        Assert.Equal(CheckStatus.Met, Assert.Single(result.Checks, c => c.Id == RunbookStepIds.Drained).Status);
        var blocked = Assert.Single(result.Checks, c => c.Id == RunbookStepIds.StartsBlocked);
        Assert.Equal(CheckStatus.Error, blocked.Status);
        Assert.Contains("cancelled during block starts", blocked.Detail, StringComparison.Ordinal);
        // What the state holds for resume, the report names: the monitor stopped by the drain and rb01's service.
        Assert.Single(result.Actions, a => a.Kind == ActionKind.RunbookStop && a.Outcome == ActionOutcome.Stopped && a.Target.Contains(TestWorlds.Monitor, StringComparison.Ordinal));
        Assert.Equal(result.Actions.Count(a => a.Outcome == ActionOutcome.Stopped), result.Actions.Where(a => a.Outcome == ActionOutcome.Stopped).Select(a => (a.Kind, a.Target)).Distinct().Count());
        Assert.Equal(["rb01: orunbook"], result.Actions.Where(a => a.Kind == ActionKind.BlockStarts && a.Outcome == ActionOutcome.Stopped).Select(a => a.Target));
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.BlockStarts && a.Outcome == ActionOutcome.Cancelled);
        Assert.Equal(["rb01"], store.Load()!.StoppedServices.Select(s => s.Host));
        Assert.True(world.Services("rb02").Single().Running);
    }

    [Fact]
    public async Task A_monitor_left_by_policy_keeps_the_runbook_service_running()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10));
        var store = new PrepareStateStore(new MockFileSystem(), "/out");

        var result = await new RunbookPreparation(new RunbookInventory(new WorldOrchestratorApi(world), null), new SandboxServiceControlSource(world), store, _time)
            .RunAsync(Environment(StopAtOnce(MonitorPolicy.Leave)), null, TestContext.Current.CancellationToken);

        var blocked = Assert.Single(result.Checks, c => c.Id == RunbookStepIds.StartsBlocked);
        Assert.Equal(CheckStatus.Skipped, blocked.Status);
        Assert.Contains("monitor", blocked.Detail, StringComparison.Ordinal);
        Assert.True(world.Services("rb02").Single().Running);
        Assert.Null(store.Load());
    }

    [Fact]
    public async Task Orphans_are_cleared_once_their_runbook_service_is_stopped()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(1), withMonitor: false, withOrphan: true);
        _time.Advance(TimeSpan.FromSeconds(2));
        await using var sql = await Sandbox.SqlServer.SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var inventory = new RunbookInventory(new WorldOrchestratorApi(world), new OrchestratorDatabase(sql.Connector()));

        var result = await new RunbookPreparation(inventory, new SandboxServiceControlSource(world), new PrepareStateStore(new MockFileSystem(), "/out"), _time)
            .RunAsync(Environment(StopAtOnce()), null, TestContext.Current.CancellationToken);

        Assert.Contains(result.Actions, a => a.Kind == ActionKind.ClearOrphans && a.Outcome == ActionOutcome.Cleared);
        Assert.DoesNotContain(world.Jobs(), j => j.Instance is { Orphaned: true, TimeEnded: null });
    }

    [Fact]
    public async Task Ctrl_C_while_clearing_orphans_returns_a_cancelled_result_and_the_state_keeps_the_stopped_services_for_resume()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(1), withMonitor: false, withOrphan: true);
        _time.Advance(TimeSpan.FromSeconds(2));
        await using var sql = await Sandbox.SqlServer.SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var held = new HoldingStatementConnector(sql.Connector(), OrchestratorDatabase.ClearOrphansStatement);
        var inventory = new RunbookInventory(new WorldOrchestratorApi(world), new OrchestratorDatabase(held));
        var store = new PrepareStateStore(new MockFileSystem(), "/out");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var running = new RunbookPreparation(inventory, new SandboxServiceControlSource(world), store, _time)
            .RunAsync(Environment(StopAtOnce()), null, cts.Token);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await cts.CancelAsync();
        var result = await running;

        Assert.True(result.Cancelled);
        Assert.Equal(CheckStatus.Met, Assert.Single(result.Checks, c => c.Id == RunbookStepIds.StartsBlocked).Status);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.ClearOrphans && a.Outcome == ActionOutcome.Cancelled);
        Assert.DoesNotContain(result.Actions, a => a.Kind == ActionKind.ClearOrphans && a.Outcome == ActionOutcome.Cleared);
        // Both Runbook Services were stopped before the cancel: the report names them and the state keeps them for resume.
        Assert.Equal(["rb01: orunbook", "rb02: orunbook"], result.Actions.Where(a => a.Kind == ActionKind.BlockStarts && a.Outcome == ActionOutcome.Stopped).Select(a => a.Target));
        Assert.Equal(["rb01", "rb02"], store.Load()!.StoppedServices.Select(s => s.Host));
        Assert.Contains(world.Jobs(), j => j.Instance is { Orphaned: true, TimeEnded: null });
        // Each stop is named once, whether its step reported it or the cancel path found it in the state.
        Assert.Equal(result.Actions.Count(a => a.Outcome == ActionOutcome.Stopped), result.Actions.Where(a => a.Outcome == ActionOutcome.Stopped).Select(a => (a.Kind, a.Target)).Distinct().Count());
    }

    /// <summary>Holds one statement (the orphan clean-up) until the run is cancelled; everything else goes through.</summary>
    private sealed class HoldingStatementConnector(ISqlConnector inner, string held) : ISqlConnector
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        private string Held => held;

        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken) => new Session(await inner.OpenAsync(cancellationToken), this);

        private sealed class Session(ISqlSession inner, HoldingStatementConnector owner) : ISqlSession
        {
            public async Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
            {
                if (sql == owner.Held)
                {
                    owner._reached.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return await inner.QueryAsync(sql, parameters, cancellationToken);
            }

            public Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken) =>
                inner.ExecuteAsync(sql, timeout, onMessage, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_state_folder_that_cannot_be_written_stops_prepare_before_any_change()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(10));
        var fs = new MockFileSystem();
        fs.AddFile("/out", new MockFileData("a file where the folder should be"));
        var web = new WorldOrchestratorApi(world);

        await Assert.ThrowsAnyAsync<IOException>(() => new RunbookPreparation(new RunbookInventory(web, null), new SandboxServiceControlSource(world), new PrepareStateStore(fs, "/out"), _time)
            .RunAsync(Environment(StopAtOnce()), null, TestContext.Current.CancellationToken));

        Assert.Empty(web.StopRequests);
        Assert.Empty(world.Changes);
    }
}
