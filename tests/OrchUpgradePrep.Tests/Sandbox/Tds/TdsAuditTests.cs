using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsAuditTests
{
    [Fact]
    public async Task Every_statement_is_recorded_in_order_and_raised_as_an_event()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, response, ct) => response.SendDoneAsync(0, ct)));
        var raised = new List<string>();
        server.RequestReceived += (_, request) =>
        {
            lock (raised)
            {
                raised.Add(request.Text);
            }
        };
        await using var connection = await TdsTestServers.OpenAsync(server);
        var ct = TestContext.Current.CancellationToken;
        foreach (var text in new[] { "SELECT 1", "BACKUP DATABASE Orchestrator TO DISK = 'a.bak'", "RESTORE VERIFYONLY FROM DISK = 'a.bak'" })
        {
            await using var command = new SqlCommand(text, connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        await using (var parameterised = new SqlCommand("SELECT name FROM sys.databases WHERE name = @name", connection))
        {
            parameterised.Parameters.AddWithValue("@name", "Orchestrator");
            await parameterised.ExecuteNonQueryAsync(ct);
        }

        var audit = server.Audit;
        Assert.Equal(
            ["SELECT 1", "BACKUP DATABASE Orchestrator TO DISK = 'a.bak'", "RESTORE VERIFYONLY FROM DISK = 'a.bak'", "SELECT name FROM sys.databases WHERE name = @name"],
            audit.Select(r => r.Text));
        Assert.All(audit, r => Assert.Equal(TdsTestServers.Login, r.Session.Login));
        Assert.Single(audit.Select(r => r.Session.ConnectionId).Distinct());
        Assert.Equal("Orchestrator", audit[3].Parameters["@name"]);
        lock (raised)
        {
            Assert.Equal(audit.Select(r => r.Text), raised);
        }
    }
}
