using System.Data;
using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The sandbox parses every batch with SQL Server's parser for its version and binds every name against its
/// catalog before it answers (docs/sandbox-sql-parsing.md), through the real SqlClient.</summary>
public sealed class SandboxSqlParsingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SqlException> FailAsync(SandboxSqlFixture sql, string statement)
    {
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(statement, connection);
        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));
        Assert.Equal(ConnectionState.Open, connection.State);
        return error;
    }

    private static async Task<(List<string> Columns, List<object?[]> Rows)> QueryAsync(SandboxSqlFixture sql, string statement)
    {
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(statement, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(Ct))
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add([.. values.Select(v => v is DBNull ? null : v)]);
        }

        return (columns, rows);
    }

    [Theory]
    [InlineData("SELECT FROM", 156, 15, "Incorrect syntax near the keyword 'FROM'.")]
    [InlineData("SELECT name FROM sys.databases WHERE", 156, 15, "Incorrect syntax near the keyword 'WHERE'.")]
    [InlineData("SELECT (1", 102, 15, "Incorrect syntax near '1'.")]
    [InlineData("SELEC 1", 2812, 16, "Could not find stored procedure 'SELEC'.")]
    [InlineData("SELECT nmae FROM sys.databases", 207, 16, "Invalid column name 'nmae'.")]
    [InlineData("SELECT d.nmae FROM sys.databases AS d", 207, 16, "Invalid column name 'nmae'.")]
    [InlineData("SELECT x.name FROM sys.databases AS d", 4104, 16, "The multi-part identifier \"x.name\" could not be bound.")]
    [InlineData("SELECT name FROM sys.databases, sys.database_files", 209, 16, "Ambiguous column name 'name'.")]
    [InlineData("SELECT name FROM sys.nosuch", 208, 16, "Invalid object name 'sys.nosuch'.")]
    [InlineData("SELECT name FROM [dbo].[Runbooks]", 208, 16, "Invalid object name 'dbo.Runbooks'.")]
    [InlineData("SELECT backup_set_id FROM backupset", 208, 16, "Invalid object name 'backupset'.")]
    [InlineData("SELECT name FROM sys.databases WHERE name = @missing", 137, 15, "Must declare the scalar variable \"@missing\".")]
    [InlineData("SELECT 1/0", 8134, 16, "Divide by zero error encountered.")]
    [InlineData("SELECT 2147483647 + 1", 8115, 16, "Arithmetic overflow error converting expression to data type int.")]
    [InlineData("SELECT 'abc", 105, 15, "Unclosed quotation mark after the character string 'abc'.")]
    [InlineData("SELECT 1\nGO\nSELECT 2", 102, 15, "Incorrect syntax near 'GO'.")]
    [InlineData("CREATE TABLE t(a int)", 50000, 16, "sandbox: CreateTableStatement is not simulated by the orchprep sandbox.")]
    [InlineData("SELECT name FROM sys.databases UNION SELECT name FROM sys.databases", 50000, 16, "sandbox: BinaryQueryExpression is not simulated by the orchprep sandbox.")]
    [InlineData("SELECT * FROM msdb.dbo.backupset", 50000, 16, "sandbox: a SELECT over msdb history, volumes or Orchestrator's tables other than orchprep's own is not simulated by the orchprep sandbox.")]
    public async Task A_statement_sql_server_would_refuse_is_refused_with_its_error(string statement, int number, byte severity, string message)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var error = await FailAsync(sql, statement);

        Assert.Equal((number, severity, message), (error.Number, error.Class, error.Errors[0].Message));
    }

    [Fact]
    public async Task A_syntax_error_carries_the_line_of_the_batch_it_is_on()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var error = await FailAsync(sql, "SELECT 1,\n  2,\n  ,3");

        Assert.Equal((102, 3, "Incorrect syntax near ','."), (error.Number, error.LineNumber, error.Errors[0].Message));
    }

    [Fact]
    public async Task An_unknown_backup_option_is_155_and_writes_nothing()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var error = await FailAsync(sql, $"BACKUP DATABASE [Orchestrator] TO DISK = N'{sql.BackupPath("bad.bak")}' WITH COPY_ONLY, FOOBAR");

        Assert.Equal((155, (byte)15, "'FOOBAR' is not a recognized BACKUP option."), (error.Number, error.Class, error.Errors[0].Message));
        Assert.Empty(Directory.EnumerateFileSystemEntries(sql.Engine.BackupDirectory));
        Assert.Equal(0, sql.Engine.HistoryCount);
    }

    [Fact]
    public async Task A_backup_option_the_sandbox_does_not_simulate_is_refused_and_writes_nothing()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var error = await FailAsync(sql, $"BACKUP DATABASE [Orchestrator] TO DISK = N'{sql.BackupPath("diff.bak")}' WITH DIFFERENTIAL");

        Assert.Equal((50000, "sandbox: BACKUP DATABASE WITH Differential is not simulated by the orchprep sandbox."), (error.Number, error.Errors[0].Message));
        Assert.Empty(Directory.EnumerateFileSystemEntries(sql.Engine.BackupDirectory));
    }

    [Fact]
    public async Task A_select_returns_exactly_the_columns_it_names()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var (columns, rows) = await QueryAsync(sql, "SELECT name FROM sys.databases");

        Assert.Equal(["name"], columns);
        Assert.Equal(["master", "msdb", "Orchestrator"], rows.Select(r => (string)r[0]!).Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Where_filters_rows_and_the_select_list_orders_columns()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var (columns, rows) = await QueryAsync(sql, "SELECT state_desc, name AS database_name FROM sys.databases WHERE name = N'msdb'");

        Assert.Equal(["state_desc", "database_name"], columns);
        Assert.Equal(["ONLINE", "msdb"], Assert.Single(rows));
    }

    [Fact]
    public async Task Top_order_by_in_and_or_work_over_catalog_rows()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var (_, rows) = await QueryAsync(sql, "SELECT TOP (1) name FROM sys.databases WHERE name IN (N'master', N'msdb') OR database_id > 100 ORDER BY name DESC");

        Assert.Equal("msdb", (string)Assert.Single(rows)[0]!);
    }

    [Fact]
    public async Task Select_star_returns_the_catalogued_columns_in_documented_order()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var (columns, rows) = await QueryAsync(sql, "SELECT * FROM sys.database_files WHERE type_desc = 'LOG'");

        Assert.Equal(SandboxCatalog.Objects.Single(o => o.Name == "database_files").Columns.Select(c => c.Name), columns);
        Assert.Equal("Orchestrator_log", Assert.Single(rows)[columns.IndexOf("name")]);
    }

    [Fact]
    public async Task The_orchestrator_objects_resolve_only_in_the_orchestrator_database()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(orchestrator: new OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestrator(new OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestratorProfile([], [], [], []), TimeProvider.System));
        await using var connection = new SqlConnection(sql.ConnectionString(database: "master"));
        await connection.OpenAsync(Ct);
        await using var command = new SqlCommand(OrchUpgradePrep.Prerequisites.Runbooks.OrchestratorDatabase.ActiveJobsQuery, connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteReaderAsync(Ct));

        Assert.Equal((208, "Invalid object name 'Microsoft.SystemCenter.Orchestrator.Runtime.Jobs'."), (error.Number, error.Errors[0].Message));
    }

    [Theory]
    [InlineData("10.50.6000.34", 156)]
    [InlineData("16.0.4135.4", 50000)]
    public async Task The_parser_is_the_one_of_the_simulated_version(string version, int number)
    {
        // ALTER ROLE … ADD MEMBER is SQL Server 2012 syntax: 2008 R2's parser stops at ADD; 2022's parses it (then the
        // sandbox says it does not simulate it).
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { ProductVersion = version, DelayPerChunk = TimeSpan.Zero });

        var error = await FailAsync(sql, "ALTER ROLE db_backupoperator ADD MEMBER someone");

        Assert.Equal(number, error.Number);
    }
}
