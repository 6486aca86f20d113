using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsMessageTests
{
    [Fact]
    public async Task Handler_error_becomes_a_SqlException_with_its_number_and_message()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, _, _) =>
            throw new SqlErrorException(208, 16, 1, "Invalid object name 'dbo.Nope'.")));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("SELECT * FROM dbo.Nope", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(208, error.Number);
        Assert.Equal(16, error.Class);
        Assert.Equal("Invalid object name 'dbo.Nope'.", error.Message);
    }

    [Fact]
    public async Task Two_errors_arrive_as_one_SqlException()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (_, response, ct) =>
        {
            await response.SendErrorAsync(3201, 1, 16, "Cannot open backup device 'X:\\nope.bak'. Operating system error 3(The system cannot find the path specified.).", ct);
            throw new SqlErrorException(3013, 16, 1, "BACKUP DATABASE is terminating abnormally.");
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("BACKUP DATABASE Orchestrator TO DISK = 'X:\\nope.bak'", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3201, error.Number);
        Assert.Equal([3201, 3013], error.Errors.Cast<SqlError>().Select(e => e.Number));
    }

    [Fact]
    public async Task Unexpected_handler_exception_is_error_50000_never_success()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, _, _) =>
            throw new InvalidOperationException("boom")));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("SELECT 1", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(50000, error.Number);
        Assert.Contains("sandbox: internal error", error.Message, StringComparison.Ordinal);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_messages_reach_InfoMessage_at_batch_end_by_default()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (_, response, ct) =>
        {
            await response.SendInfoAsync(3211, 1, 0, "10 percent processed.", ct);
            await response.SendInfoAsync(3211, 1, 0, "20 percent processed.", ct);
            await response.SendInfoAsync(3014, 1, 0, "BACKUP DATABASE successfully processed 10 pages in 0.1 seconds (1.0 MB/sec).", ct);
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        var messages = new List<string>();
        connection.InfoMessage += (_, e) => messages.AddRange(e.Errors.Cast<SqlError>().Select(x => $"{x.Number}:{x.Message}"));
        await using var command = new SqlCommand("BACKUP DATABASE Orchestrator TO DISK = 'a.bak' WITH STATS = 10", connection);

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            ["3211:10 percent processed.", "3211:20 percent processed.", "3014:BACKUP DATABASE successfully processed 10 pages in 0.1 seconds (1.0 MB/sec)."],
            messages);
    }

    [Fact]
    public async Task First_progress_message_arrives_while_the_statement_still_runs()
    {
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerFinished = false;
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (_, response, ct) =>
        {
            await response.SendInfoAsync(3211, 1, 0, "10 percent processed.", ct);
            // Hold the statement open until the client has shown the first message (bounded by a timeout).
            await firstSeen.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            handlerFinished = true;
            await response.SendInfoAsync(3211, 1, 0, "100 percent processed.", ct);
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        connection.FireInfoMessageEventOnUserErrors = true;
        var finishedWhenFirstSeen = new List<bool>();
        connection.InfoMessage += (_, e) =>
        {
            finishedWhenFirstSeen.Add(handlerFinished);
            firstSeen.TrySetResult();
        };
        await using var command = new SqlCommand("BACKUP DATABASE Orchestrator TO DISK = 'a.bak' WITH STATS = 10", connection);

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal([false, true], finishedWhenFirstSeen);
    }

    [Fact]
    public async Task With_FireInfoMessageEventOnUserErrors_errors_become_events_and_do_not_throw()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (_, response, ct) =>
        {
            await response.SendErrorAsync(3201, 1, 16, "Cannot open backup device 'X:\\nope.bak'.", ct);
            throw new SqlErrorException(3013, 16, 1, "BACKUP DATABASE is terminating abnormally.");
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        connection.FireInfoMessageEventOnUserErrors = true;
        var numbers = new List<(int Number, byte Class)>();
        connection.InfoMessage += (_, e) => numbers.AddRange(e.Errors.Cast<SqlError>().Select(x => (x.Number, x.Class)));
        await using var command = new SqlCommand("BACKUP DATABASE Orchestrator TO DISK = 'X:\\nope.bak'", connection);

        // SqlClient's documented trade-off: class <= 16 errors arrive as events, so callers must check the class.
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal([(3201, (byte)16), (3013, (byte)16)], numbers);
    }

    [Fact]
    public async Task Fatal_error_closes_the_connection()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, _, _) =>
            throw new SqlErrorException(824, 24, 2, "SQL Server detected a logical consistency-based I/O error.")));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("DBCC CHECKDB", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(824, error.Number);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }
}
