using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsConnectionLimitTests
{
    [Fact]
    public async Task Connections_beyond_the_limit_wait_until_one_closes()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new TdsServerOptions { Login = TdsTestServers.Login, Password = TdsTestServers.Password, MaxConnections = 1 };
        await using var server = await TdsServer.StartAsync(options, ScriptedSqlHandler.Echo(), ct);
        var first = await TdsTestServers.OpenAsync(server);

        // The second client reaches the listen backlog but nobody answers its PRELOGIN while the first is open.
        await using (var blocked = new SqlConnection(TdsTestServers.ConnectionString(server).Replace("Connect Timeout=10", "Connect Timeout=2", StringComparison.Ordinal)))
        {
            await Assert.ThrowsAsync<SqlException>(() => blocked.OpenAsync(ct));
        }

        await first.DisposeAsync();
        await using var second = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("SELECT 'served'", second);
        Assert.Equal("SELECT 'served'", await command.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Parallel_clients_each_get_their_own_session()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var connection = await TdsTestServers.OpenAsync(server);
            await using var command = new SqlCommand($"SELECT {i}", connection);
            return (string?)await command.ExecuteScalarAsync(ct);
        }));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"SELECT {i}"), results);
        Assert.Equal(10, server.Audit.Select(r => r.Session.ConnectionId).Distinct().Count());
        Assert.Empty(server.ConnectionFailures);
    }

    [Fact]
    public async Task Dispose_twice_is_harmless()
    {
        var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());

        await server.DisposeAsync();
        await server.DisposeAsync();
    }
}
