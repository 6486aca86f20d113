using System.Data;
using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

public sealed class TdsRpcTests
{
    [Fact]
    public async Task Parameterised_command_reaches_the_handler_with_decoded_values()
    {
        SqlRequest? seen = null;
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((request, response, ct) =>
        {
            seen = request;
            return response.SendResultSetAsync([new TdsColumn("ok", TdsColumnType.Int)], [[1]], ct);
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        var id = Guid.NewGuid();
        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(6789);
        await using var command = new SqlCommand("SELECT 1 FROM backupset WHERE database_name = @db AND type = @type", connection);
        command.Parameters.AddWithValue("@db", "Orchestrator");
        command.Parameters.Add(new SqlParameter("@type", SqlDbType.VarChar, 1) { Value = "D" });
        command.Parameters.AddWithValue("@count", 7);
        command.Parameters.AddWithValue("@size", 1L << 40);
        command.Parameters.AddWithValue("@copyOnly", true);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.Add(new SqlParameter("@at", SqlDbType.DateTime2) { Value = at });
        command.Parameters.Add(new SqlParameter("@lsn", SqlDbType.Decimal) { Precision = 25, Scale = 0, Value = 98000000012345600001m });
        command.Parameters.AddWithValue("@missing", DBNull.Value);

        Assert.Equal(1, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        Assert.NotNull(seen);
        Assert.Equal(SqlRequestKind.ExecuteSql, seen.Kind);
        Assert.True(seen.IsRpc);
        Assert.Equal("sp_executesql", seen.ProcName);
        Assert.Equal("SELECT 1 FROM backupset WHERE database_name = @db AND type = @type", seen.Text);
        Assert.Equal("Orchestrator", seen.Parameters["@db"]);
        Assert.Equal("D", seen.Parameters["@type"]);
        Assert.Equal(7, seen.Parameters["@count"]);
        Assert.Equal(1L << 40, seen.Parameters["@size"]);
        Assert.Equal(true, seen.Parameters["@copyOnly"]);
        Assert.Equal(id, seen.Parameters["@id"]);
        Assert.Equal(at, seen.Parameters["@at"]);
        Assert.Equal(98000000012345600001m, seen.Parameters["@lsn"]);
        Assert.Null(seen.Parameters["@missing"]);
    }

    [Fact]
    public async Task Stored_procedure_call_arrives_by_name()
    {
        SqlRequest? seen = null;
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((request, response, ct) =>
        {
            seen = request;
            return response.SendDoneAsync(null, ct);
        }));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("dbo.DatabaseBackup", connection) { CommandType = CommandType.StoredProcedure };
        command.Parameters.AddWithValue("@Databases", "Orchestrator");
        var returnValue = command.Parameters.Add(new SqlParameter("@RETURN_VALUE", SqlDbType.Int) { Direction = ParameterDirection.ReturnValue });

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, returnValue.Value);

        Assert.NotNull(seen);
        Assert.Equal(SqlRequestKind.ProcedureCall, seen.Kind);
        Assert.Equal("dbo.DatabaseBackup", seen.ProcName);
        Assert.Equal("Orchestrator", seen.Parameters["@Databases"]);
    }

    [Fact]
    public async Task Rows_affected_inside_sp_executesql_reach_ExecuteNonQuery()
    {
        await using var server = await TdsTestServers.StartAsync(new ScriptedSqlHandler((_, response, ct) => response.SendDoneAsync(5, ct)));
        await using var connection = await TdsTestServers.OpenAsync(server);
        await using var command = new SqlCommand("DELETE FROM dbo.Jobs WHERE Deleted = @deleted", connection);
        command.Parameters.AddWithValue("@deleted", true);

        Assert.Equal(5, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }
}
