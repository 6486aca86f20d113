using System.Data;
using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The read-only statements (server facts, catalog views, permissions) and the errors for what the engine
/// does not know, through the real SqlClient.</summary>
public sealed class SandboxSqlCatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SandboxSqlProfile Small => new() { UsedDataBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero };

    private static async Task<object?[]> RowAsync(SqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new SqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), "no row");
        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        Assert.False(await reader.ReadAsync(Ct), "more than one row");
        return values;
    }

    [Fact]
    public async Task The_facts_query_returns_the_profile()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();

        var row = await RowAsync(connection, SqlServerFacts.Query);

        Assert.Equal(["16.0.4135.4", "RTM", "Standard Edition (64-bit)", 2, "SQL_Latin1_General_CP1_CI_AS"], row);
    }

    [Fact]
    public async Task Serverproperty_lists_answer_known_properties_and_null_for_unknown_ones()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small with { ServerName = @"ORCH-SQL01\ORCH", MachineName = "ORCH-SQL01" });
        await using var connection = await sql.OpenAsync();

        var row = await RowAsync(connection, "select  SERVERPROPERTY('MachineName') as m,\n SERVERPROPERTY ( N'ServerName' ) AS [server], SERVERPROPERTY('InstanceName') AS i, CAST(SERVERPROPERTY('IsClustered') AS int) AS c, SERVERPROPERTY('NoSuchProperty') AS n");

        Assert.Equal(["ORCH-SQL01", @"ORCH-SQL01\ORCH", null, 0, null], row);
    }

    [Theory]
    [InlineData("SELECT @@SERVERNAME", "ORCH-SQL01")]
    [InlineData("SELECT DB_NAME()", "Orchestrator")]
    [InlineData("SELECT 1", 1)]
    [InlineData(BackupQueries.ServerName, "ORCH-SQL01")]
    public async Task Ad_hoc_scalars(string statement, object expected)
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();

        Assert.Equal([expected], await RowAsync(connection, statement));
    }

    [Fact]
    public async Task At_at_version_is_built_from_the_profile()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small with { ProductVersion = "15.0.4382.1", ProductUpdateLevel = "CU27", Edition = "Enterprise Edition: Core-based Licensing (64-bit)" });
        await using var connection = await sql.OpenAsync();

        var version = (string)(await RowAsync(connection, "  select   @@version ;"))[0]!;

        Assert.StartsWith("Microsoft SQL Server 2019 (RTM-CU27) - 15.0.4382.1 (X64)", version, StringComparison.Ordinal);
        Assert.Contains("Enterprise Edition: Core-based Licensing (64-bit) on Windows Server", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_files_volumes_and_permissions_describe_the_instance()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small with { IsSysadmin = false, CanBackup = false, CanCreateDatabase = true, CanControlServer = false });
        await using var connection = await sql.OpenAsync();

        var database = await RowAsync(connection, BackupQueries.Database, ("@database", "Orchestrator"));
        var permissions = await RowAsync(connection, BackupQueries.Permissions, ("@database", "Orchestrator"));
        var volume = await RowAsync(connection, BackupQueries.Volumes);
        await using var files = new SqlCommand(BackupQueries.DatabaseFiles, connection);
        await using var reader = await files.ExecuteReaderAsync(Ct);
        var names = new List<(string, string, long)>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add((reader.GetString(0), reader.GetString(2), reader.GetInt64(4)));
        }

        Assert.Equal(["Orchestrator", "ONLINE", "SIMPLE", "SQL_Latin1_General_CP1_CI_AS", false], database);
        Assert.Equal([0, 0, 1, 0], permissions);
        Assert.Equal([sql.Engine.VolumeMountPoint, sql.Engine.Profile.VolumeBytes, sql.Engine.Profile.FreeBytes], volume);
        Assert.Equal([("Orchestrator", "ROWS", 1L << 20), ("Orchestrator_log", "LOG", 1L << 20)], names);
    }

    [Fact]
    public async Task Volumes_need_view_server_state()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small with { IsSysadmin = false, HasViewServerState = false, CanControlServer = false });
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(BackupQueries.Volumes, connection);

        var denied = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteReaderAsync(Ct));

        Assert.Equal(300, denied.Number);
        Assert.Equal(14, denied.Class);
        Assert.Equal("VIEW SERVER STATE permission was denied on object 'server', database 'master'.", denied.Errors[0].Message);
    }

    [Fact]
    public async Task Free_space_shrinks_by_what_backups_write()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();
        var before = sql.Engine.AvailableBytes;
        await using var backup = new SqlCommand(new BackupStatement { Database = "Orchestrator", Files = [sql.BackupPath("a.bak")], Name = "a", Description = "a" }.ToSql(), connection);
        await backup.ExecuteNonQueryAsync(Ct);

        var after = (long)(await RowAsync(connection, BackupQueries.Volumes))[2]!;

        Assert.Equal(sql.Engine.Profile.FreeBytes, before);
        Assert.Equal(before - new FileInfo(sql.BackupPath("a.bak")).Length, after);
    }

    [Theory]
    [InlineData("SELECT name FROM dbo.Runbooks", 208, "Invalid object name 'dbo.Runbooks'.")]
    [InlineData("EXECUTE dbo.sp_secret 1", 2812, "Could not find stored procedure 'dbo.sp_secret'.")]
    [InlineData("MERGE INTO x", 102, "Incorrect syntax near 'x'.")]
    [InlineData("SELECT nonsense_function()", 195, "'nonsense_function' is not a recognized built-in function name.")]
    [InlineData("CREATE TABLE t(a int)", 50000, "sandbox: CreateTableStatement is not simulated by the orchprep sandbox.")]
    [InlineData("UPDATE x SET a = 1", 50000, "sandbox: UpdateStatement is not simulated by the orchprep sandbox.")]
    [InlineData("WAITFOR DELAY '00:00:01'", 50000, "sandbox: WaitForStatement is not simulated by the orchprep sandbox.")]
    public async Task Unknown_statements_are_errors_never_success(string statement, int number, string message)
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(statement, connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal((number, message), (error.Number, error.Errors[0].Message));
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task A_stored_procedure_rpc_by_name_is_2812()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand("dbo.usp_DoSomething", connection) { CommandType = CommandType.StoredProcedure };
        command.Parameters.AddWithValue("@x", 1);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal(2812, error.Number);
        Assert.Contains("usp_DoSomething", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_to_an_unknown_database_is_4060()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = new SqlConnection(sql.ConnectionString(database: "NoSuchDb"));

        var error = await Assert.ThrowsAsync<SqlException>(() => connection.OpenAsync(Ct));

        Assert.Equal(4060, error.Number);
        Assert.Equal("Cannot open database \"NoSuchDb\" requested by the login. The login failed.", error.Errors[0].Message);
    }

    [Fact]
    public async Task Service_master_key_backup_needs_control_server_and_stays_under_the_root()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small with { IsSysadmin = false, CanControlServer = false });
        await using var allowed = await SandboxSqlFixture.StartAsync(Small);
        await using var connection = await sql.OpenAsync();
        await using var allowedConnection = await allowed.OpenAsync();
        await using var denied = new SqlCommand(BackupQueries.BackupServiceMasterKey(sql.BackupPath("k.smk"), "Key-Passw0rd"), connection);
        await using var outside = new SqlCommand(BackupQueries.BackupServiceMasterKey(Path.Combine(Path.GetTempPath(), $"escape-{Guid.NewGuid():N}.smk"), "Key-Passw0rd"), allowedConnection);
        await using var written = new SqlCommand(BackupQueries.BackupServiceMasterKey(allowed.BackupPath("k.smk"), "Key-Passw0rd"), allowedConnection);

        var noRight = await Assert.ThrowsAsync<SqlException>(() => denied.ExecuteNonQueryAsync(Ct));
        var escape = await Assert.ThrowsAsync<SqlException>(() => outside.ExecuteNonQueryAsync(Ct));
        await written.ExecuteNonQueryAsync(Ct);

        Assert.Equal(15247, noRight.Number);
        Assert.False(File.Exists(sql.BackupPath("k.smk")));
        Assert.Equal(15240, escape.Number);
        var blob = await File.ReadAllBytesAsync(allowed.BackupPath("k.smk"), Ct);
        Assert.Equal("OSBXSMK1"u8.ToArray(), blob[..8]);
        Assert.True(blob.AsSpan().IndexOf("Key-Passw0rd"u8) < 0, "the key file holds the password in clear");
    }
}
