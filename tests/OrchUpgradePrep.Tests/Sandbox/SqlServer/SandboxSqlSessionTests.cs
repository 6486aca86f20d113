using Microsoft.Data.SqlClient;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>SET statements and USE through the real SqlClient: accepted and recorded like SQL Server, unknown ones refused with its error.</summary>
public sealed class SandboxSqlSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(SandboxSqlPymssqlTests.PymssqlSessionBatch)]
    // ODBC Driver / SqlClient-style and ct-lib-style session options, several per batch, with a comment and line breaks.
    [InlineData("set textsize 64512\nset ANSI_WARNINGS ON\r\nSET DATEFORMAT mdy -- driver default\nSET LANGUAGE us_english")]
    [InlineData("SET IMPLICIT_TRANSACTIONS OFF; SET LOCK_TIMEOUT -1; SET NOCOUNT ON; SET XACT_ABORT ON; SET DATEFIRST 7")]
    [InlineData("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET DEADLOCK_PRIORITY LOW; SET ANSI_DEFAULTS OFF; /* x */ SET STATISTICS IO OFF")]
    [InlineData("SET ANSI_NULLS, QUOTED_IDENTIFIER, ANSI_PADDING ON")]
    public async Task Driver_session_options_are_accepted(string batch)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(batch, connection);

        await command.ExecuteNonQueryAsync(Ct);

        Assert.NotEmpty(sql.Server.Audit[^1].Session.Options.Snapshot());
    }

    [Fact]
    public async Task Options_last_across_batches_and_a_set_can_lead_a_query()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();

        await using (var set = new SqlCommand("SET LOCK_TIMEOUT 5000; SET NOCOUNT ON", connection))
        {
            await set.ExecuteNonQueryAsync(Ct);
        }

        await using var query = new SqlCommand("SET QUOTED_IDENTIFIER ON;\nSELECT DB_NAME()", connection);
        Assert.Equal("Orchestrator", await query.ExecuteScalarAsync(Ct));

        var options = sql.Server.Audit[^1].Session.Options;
        Assert.Equal("5000", options["LOCK_TIMEOUT"]);
        Assert.Equal("ON", options["NOCOUNT"]);
        Assert.Equal("ON", options["QUOTED_IDENTIFIER"]);
    }

    [Fact]
    public async Task A_set_inside_sp_executesql_lasts_only_for_that_call()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand("SET XACT_ABORT ON", connection);
        // A parameter makes SqlClient send sp_executesql rather than a batch.
        command.Parameters.AddWithValue("@unused", 1);

        await command.ExecuteNonQueryAsync(Ct);

        Assert.Equal(OrchUpgradePrep.Sandbox.Tds.SqlRequestKind.ExecuteSql, sql.Server.Audit[^1].Kind);
        Assert.Null(sql.Server.Audit[^1].Session.Options["XACT_ABORT"]);
    }

    [Theory]
    [InlineData("SET NO_SUCH_OPTION ON", 195, "'NO_SUCH_OPTION' is not a recognized SET option.")]
    [InlineData("SET NOCOUNT ON; SET ANSI_NULS ON", 195, "'ANSI_NULS' is not a recognized SET option.")]
    [InlineData("SET ANSI_NULLS, ANSI_NULZ ON", 195, "'ANSI_NULZ' is not a recognized SET option.")]
    [InlineData("SET ANSI_NULLS, TEXTSIZE ON", 102, "Incorrect syntax near 'TEXTSIZE'.")]
    [InlineData("SET NOCOUNT MAYBE", 102, "Incorrect syntax near 'MAYBE'.")]
    [InlineData("SET NOCOUNT", 102, "Incorrect syntax near 'NOCOUNT'.")]
    [InlineData("SET LOCK_TIMEOUT @t", 137, "Must declare the scalar variable \"@t\".")]
    [InlineData("SET @x = 1", 137, "Must declare the scalar variable \"@x\".")]
    [InlineData("SET LANGUAGE N'unterminated", 105, "Unclosed quotation mark after the character string 'unterminated'.")]
    public async Task Unknown_or_malformed_options_fail_as_sql_server_would(string batch, int number, string message)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(batch, connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal(number, error.Number);
        Assert.Equal(message, error.Message);
        // A compile error fails the whole batch: the valid SET before it did not run either.
        Assert.Empty(sql.Server.Audit[^1].Session.Options.Snapshot());
    }

    [Theory]
    [InlineData("SET NOEXEC ON")]
    [InlineData("SET FMTONLY ON")]
    [InlineData("SET SHOWPLAN_XML ON")]
    [InlineData("SET ROWCOUNT 10")]
    [InlineData("SET LANGUAGE Deutsch")]
    [InlineData("SET CONTEXT_INFO 0x01")]
    public async Task Options_that_would_need_a_simulation_are_refused_not_ignored(string batch)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(batch, connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal(50000, error.Number);
        Assert.Contains("not simulated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pooled_connection_reset_restores_the_login_defaults()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        var pooled = sql.ConnectionString().Replace("Pooling=false", "Pooling=true;Max Pool Size=1", StringComparison.Ordinal) + ";Application Name=reset-" + Guid.NewGuid().ToString("N");
        await using (var first = new SqlConnection(pooled))
        {
            await first.OpenAsync(Ct);
            await using var set = new SqlCommand("SET XACT_ABORT ON", first);
            await set.ExecuteNonQueryAsync(Ct);
        }

        await using (var second = new SqlConnection(pooled))
        {
            await second.OpenAsync(Ct);
            await using var query = new SqlCommand("SELECT DB_NAME()", second);
            await query.ExecuteScalarAsync(Ct);
        }

        SqlConnection.ClearAllPools();
        Assert.Equal(sql.Server.Audit[0].Session.ConnectionId, sql.Server.Audit[^1].Session.ConnectionId);
        Assert.Null(sql.Server.Audit[^1].Session.Options["XACT_ABORT"]);
    }

    [Theory]
    [InlineData("USE msdb", "msdb")]
    [InlineData("use [master]", "master")]
    public async Task Use_switches_the_database(string statement, string database)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var use = new SqlCommand(statement, connection);

        await use.ExecuteNonQueryAsync(Ct);

        Assert.Equal(database, connection.Database);
    }

    [Fact]
    public async Task Use_of_a_missing_database_is_911()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var use = new SqlCommand("USE Nope", connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => use.ExecuteNonQueryAsync(Ct));

        Assert.Equal(911, error.Number);
        Assert.Equal("Orchestrator", connection.Database);
    }
}
