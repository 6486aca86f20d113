using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsPoolingTests
{
    [Fact]
    public async Task Pooled_connection_is_reused_and_reset_to_its_login_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler(async (request, response, ct) =>
        {
            if (request.Text.StartsWith("USE ", StringComparison.Ordinal))
            {
                await response.ChangeDatabaseAsync(request.Text[4..], ct);
                return;
            }

            await response.SendResultSetAsync([new TdsColumn("db", TdsColumnType.NVarChar(128))], [[request.Session.Database]], ct);
        }));
        // A pool of its own (distinct Application Name) so other tests' pools do not interfere.
        var connectionString = TdsTestServers.ConnectionString(server).Replace("Pooling=false", $"Pooling=true;Application Name=pool-{Guid.NewGuid():N}", StringComparison.Ordinal);

        await using (var first = new SqlConnection(connectionString))
        {
            await first.OpenAsync(ct);
            await using var use = new SqlCommand("USE msdb", first);
            await use.ExecuteNonQueryAsync(ct);
            Assert.Equal("msdb", first.Database);
        }

        await using var second = new SqlConnection(connectionString);
        await second.OpenAsync(ct);
        await using var query = new SqlCommand("SELECT DB_NAME()", second);

        Assert.Equal("master", await query.ExecuteScalarAsync(ct));
        Assert.Single(server.Audit.Select(r => r.Session.ConnectionId).Distinct());
        SqlConnection.ClearPool(second);
    }
}
