using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsAttentionTests
{
    /// <summary>"WAITFOR" statements block until cancelled; anything else returns its text.</summary>
    private static ScriptedSqlHandler BlockingOnWaitFor(TaskCompletionSource? started = null, TaskCompletionSource? cancelled = null) =>
        new(async (request, response, ct) =>
        {
            if (request.Text.StartsWith("WAITFOR", StringComparison.Ordinal))
            {
                started?.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled?.TrySetResult();
                    throw;
                }
            }

            await response.SendResultSetAsync([new TdsColumn("text", TdsColumnType.NVarChar(100))], [[request.Text]], ct);
        });

    [Fact]
    public async Task Command_timeout_gives_minus_2_and_the_connection_keeps_working()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TdsTestServers.StartAsync(BlockingOnWaitFor(cancelled: cancelled));
        await using var connection = await TdsTestServers.OpenAsync(server);
        var ct = TestContext.Current.CancellationToken;
        await using var slow = new SqlCommand("WAITFOR DELAY '01:00:00'", connection) { CommandTimeout = 1 };

        var error = await Assert.ThrowsAsync<SqlException>(() => slow.ExecuteNonQueryAsync(ct));

        Assert.Equal(-2, error.Number);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await using var next = new SqlCommand("SELECT 'still here'", connection);
        Assert.Equal("SELECT 'still here'", await next.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Synchronous_command_timeout_also_recovers()
    {
        await using var server = await TdsTestServers.StartAsync(BlockingOnWaitFor());
        await using var connection = await TdsTestServers.OpenAsync(server);
        var ct = TestContext.Current.CancellationToken;
        await using var slow = new SqlCommand("WAITFOR DELAY '01:00:00'", connection) { CommandTimeout = 1 };

        // The sync API is what many callers use; run it off the test thread rather than block it.
        var error = await Assert.ThrowsAsync<SqlException>(() => Task.Run(() => slow.ExecuteNonQuery(), ct));

        Assert.Equal(-2, error.Number);
        await using var next = new SqlCommand("SELECT 'sync ok'", connection);
        Assert.Equal("SELECT 'sync ok'", await next.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Cancel_stops_the_handler_and_the_connection_keeps_working()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TdsTestServers.StartAsync(BlockingOnWaitFor(started, cancelled));
        await using var connection = await TdsTestServers.OpenAsync(server);
        var ct = TestContext.Current.CancellationToken;
        await using var slow = new SqlCommand("WAITFOR DELAY '01:00:00'", connection) { CommandTimeout = 0 };

        var running = slow.ExecuteNonQueryAsync(ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        slow.Cancel();

        await Assert.ThrowsAnyAsync<Exception>(() => running);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await using var next = new SqlCommand("SELECT 'after cancel'", connection);
        Assert.Equal("SELECT 'after cancel'", await next.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Latency_holds_each_statement_on_the_server_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TdsServerOptions { Login = TdsTestServers.Login, Password = TdsTestServers.Password, Latency = TimeSpan.FromMinutes(5), Time = time };
        await using var server = await TdsServer.StartAsync(options, ScriptedSqlHandler.Echo(), ct);
        server.RequestReceived += (_, _) => received.TrySetResult();
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("SELECT 1", connection) { CommandTimeout = 0 };

        var running = command.ExecuteScalarAsync(ct);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await Task.Delay(50, ct);
        Assert.False(running.IsCompleted);
        // The server may not have armed its delay timer yet, so advance until the statement completes (bounded).
        for (var attempt = 0; attempt < 100 && !running.IsCompleted; attempt++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await Task.WhenAny(running, Task.Delay(100, ct));
        }

        Assert.Equal("SELECT 1", await running.WaitAsync(TimeSpan.FromSeconds(10), ct));
    }

    [Fact]
    public async Task Disposing_the_server_cancels_running_handlers_and_drops_clients()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await TdsTestServers.StartAsync(BlockingOnWaitFor(started, cancelled));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var slow = new SqlCommand("WAITFOR DELAY '01:00:00'", connection) { CommandTimeout = 0 };

        var running = slow.ExecuteNonQueryAsync(ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await Assert.ThrowsAsync<SqlException>(() => running.WaitAsync(TimeSpan.FromSeconds(10), ct));
    }
}
