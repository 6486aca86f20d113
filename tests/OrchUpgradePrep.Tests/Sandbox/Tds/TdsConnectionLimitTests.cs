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
}
