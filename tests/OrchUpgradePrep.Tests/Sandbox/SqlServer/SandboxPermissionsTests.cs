using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The sandbox's permissions model through the real SqlClient: the least-privilege script's login, with one
/// grant taken away, gets the error SQL Server gives (229, 916, 262 + 3013, 4060), and HAS_PERMS_BY_NAME answers from the grants.</summary>
public sealed class SandboxPermissionsTests
{
    private const string Login = @"CONTOSO\svc-orchprep";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The script of docs/sql-permissions.md without the statements whose text contains <paramref name="without"/>.</summary>
    internal static string ScriptWithout(string? without) => SandboxLeastPrivilege.Render(
        SandboxPermissionScript.Parse(SandboxLeastPrivilege.Script()).Where(s => without is null || !s.Text.Contains(without, StringComparison.Ordinal)));

    private Task<SandboxSqlFixture> StartAsync(string? without) => SandboxSqlFixture.StartAsync(
        new SandboxSqlProfile { UsedDataBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero, SecurityScript = ScriptWithout(without) },
        time: _time, orchestrator: TestWorlds.Create(_time, TimeSpan.FromMinutes(30)), login: Login);

    [Fact]
    public void The_scenario_login_is_the_scripts_and_not_sysadmin()
    {
        var permissions = new SandboxPermissions(SandboxPrincipals.FromScript(SandboxPermissionScript.Parse(SandboxLeastPrivilege.Script())));

        Assert.Equal(Login, SandboxLeastPrivilege.Login());
        Assert.Empty(permissions.Principals.Refused);
        Assert.False(permissions.IsSysadmin(Login));
        Assert.False(permissions.HasServerPermission(Login, "CONTROL SERVER"));
        Assert.True(permissions.HasServerPermission(Login, "CREATE ANY DATABASE"));
        Assert.True(permissions.MayBackup(Login, "Orchestrator"));
        Assert.False(permissions.MayBackup(Login, "msdb"));
        Assert.True(permissions.HasObjectPermission(Login, "msdb", "dbo", "backupset", "SELECT"));
        Assert.False(permissions.HasObjectPermission(Login, "msdb", "dbo", "sysjobs", "SELECT"));
        Assert.False(permissions.MayAccess("someone-else", "Orchestrator"));
    }

    [Fact]
    public void Control_server_implies_every_other_permission_and_a_grant_to_a_missing_user_is_refused()
    {
        var script = "USE [master]; CREATE LOGIN [x] FROM WINDOWS; GRANT CONTROL SERVER TO [x]; USE [msdb]; GRANT SELECT ON OBJECT::[dbo].[backupset] TO [x];";
        var permissions = new SandboxPermissions(SandboxPrincipals.FromScript(SandboxPermissionScript.Parse(script)));

        Assert.True(permissions.MayBackup("x", "Orchestrator"));
        Assert.True(permissions.HasObjectPermission("x", "msdb", "dbo", "backupset", "SELECT"));
        Assert.Equal(["GRANT SELECT ON OBJECT::[dbo].[backupset] TO [x] (in msdb)"], permissions.Principals.Refused);
        Assert.Throws<FormatException>(() => SandboxPermissionScript.Parse("USE [Orchestrator]; ALTER ROLE [db_backupoperator] ADD MEMBER [x];"));
    }

    [Fact]
    public async Task Select_without_the_grant_is_229_naming_permission_object_database_and_schema()
    {
        await using var sql = await StartAsync("[Jobs]");
        await using var connection = await sql.OpenAsync();

        var denied = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, OrchestratorDatabase.ActiveJobsQuery));

        Assert.Equal(229, denied.Number);
        Assert.Equal(14, denied.Class);
        Assert.Equal(5, denied.State);
        Assert.Equal("The SELECT permission was denied on the object 'Jobs', database 'Orchestrator', schema 'Microsoft.SystemCenter.Orchestrator.Runtime'.", denied.Message);
    }

    [Fact]
    public async Task Execute_without_the_grant_is_229_and_the_job_keeps_running()
    {
        await using var sql = await StartAsync("[CancelJob]");
        await using var connection = await sql.OpenAsync();

        var denied = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, OrchestratorDatabase.CancelJobStatement, ("@jobId", Guid.NewGuid()), ("@userSid", "S-1-5-500")));

        Assert.Equal(229, denied.Number);
        Assert.Equal("The EXECUTE permission was denied on the object 'CancelJob', database 'Orchestrator', schema 'Microsoft.SystemCenter.Orchestrator.Runtime'.", denied.Message);
    }

    [Fact]
    public async Task Without_a_user_in_msdb_use_and_three_part_names_are_916()
    {
        await using var sql = await StartAsync("USE [msdb]");
        await using var connection = await sql.OpenAsync();
        var noUser = $"The server principal \"{Login}\" is not able to access the database \"msdb\" under the current security context.";

        var use = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, "USE [msdb]"));
        var history = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, BackupQueries.HistoryOfBackupSet, ("@database", "Orchestrator"), ("@name", "x")));

        Assert.Equal((916, (byte)14, (byte)1, noUser), (use.Number, use.Class, use.State, use.Message));
        Assert.Equal((916, noUser), (history.Number, history.Message));
    }

    [Fact]
    public async Task Without_a_user_in_the_Orchestrator_database_the_login_cannot_open_it()
    {
        await using var sql = await StartAsync("USE [Orchestrator]");

        var refused = await Assert.ThrowsAsync<SqlException>(() => sql.OpenAsync());

        Assert.Equal(4060, refused.Errors[0].Number);
        Assert.Equal("Cannot open database \"Orchestrator\" requested by the login. The login failed.", refused.Errors[0].Message);
        Assert.Equal(18456, refused.Errors[1].Number);
    }

    [Fact]
    public async Task Backup_without_db_backupoperator_is_262_then_3013_and_writes_nothing()
    {
        await using var sql = await StartAsync("db_backupoperator");
        await using var connection = await sql.OpenAsync();
        var statement = new BackupStatement { Database = "Orchestrator", Files = [sql.BackupPath("d.bak")], Compress = false, StatsPercent = 10, Name = "n", Description = "d" }.ToSql();

        var denied = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, statement));

        Assert.Equal((262, (byte)14, (byte)1), (denied.Number, denied.Class, denied.State));
        Assert.Equal("BACKUP DATABASE permission denied in database 'Orchestrator'.", denied.Errors[0].Message);
        Assert.Equal((3013, "BACKUP DATABASE is terminating abnormally."), (denied.Errors[1].Number, denied.Errors[1].Message));
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory));
    }

    [Fact]
    public async Task Restore_of_a_new_database_without_create_any_database_is_262_in_master_then_3013()
    {
        await using var sql = await StartAsync("CREATE ANY DATABASE");
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("r.bak");
        await QueryAsync(connection, new BackupStatement { Database = "Orchestrator", Files = [file], Compress = false, StatsPercent = 10, Name = "n", Description = "d" }.ToSql());

        var denied = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection,
            BackupQueries.RestoreAs("Orchestrator_copy", [file], [("Orchestrator", sql.BackupPath("c.mdf")), ("Orchestrator_log", sql.BackupPath("c.ldf"))], 10)));

        Assert.Equal((262, (byte)14, "CREATE DATABASE permission denied in database 'master'."), (denied.Number, denied.Class, denied.Errors[0].Message));
        Assert.Equal((3013, "RESTORE DATABASE is terminating abnormally."), (denied.Errors[1].Number, denied.Errors[1].Message));
        Assert.DoesNotContain("Orchestrator_copy", sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task The_login_that_restored_a_copy_owns_it_so_it_may_check_and_drop_it()
    {
        await using var sql = await StartAsync(null);
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("o.bak");
        await QueryAsync(connection, new BackupStatement { Database = "Orchestrator", Files = [file], Compress = false, StatsPercent = 10, Name = "n", Description = "d" }.ToSql());
        await QueryAsync(connection, BackupQueries.RestoreAs("Orchestrator_copy", [file], [("Orchestrator", Path.Combine(sql.Engine.DataDirectory, "c.mdf")), ("Orchestrator_log", Path.Combine(sql.Engine.DataDirectory, "c.ldf"))], 10));

        await QueryAsync(connection, BackupQueries.CheckDb("Orchestrator_copy"));
        var notOwner = await Assert.ThrowsAsync<SqlException>(() => QueryAsync(connection, BackupQueries.CheckDb("Orchestrator")));
        await QueryAsync(connection, BackupQueries.DropDatabase("Orchestrator_copy"));

        Assert.Equal((2571, $"User '{Login}' does not have permission to run DBCC CHECKDB for database 'Orchestrator'."), (notOwner.Number, notOwner.Message));
        Assert.DoesNotContain("Orchestrator_copy", sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task Has_perms_by_name_answers_from_the_grants_in_each_argument_form()
    {
        await using var sql = await StartAsync("VIEW SERVER STATE");
        await using var connection = await sql.OpenAsync();

        var row = await QueryAsync(connection,
            "SELECT IS_SRVROLEMEMBER('sysadmin') AS a, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW SERVER STATE') AS b, HAS_PERMS_BY_NAME(NULL, NULL, 'CREATE ANY DATABASE') AS c, " +
            "HAS_PERMS_BY_NAME('msdb.dbo.backupset', 'OBJECT', 'SELECT') AS d, HAS_PERMS_BY_NAME('msdb.dbo.sysjobs', 'OBJECT', 'SELECT') AS e, " +
            "HAS_PERMS_BY_NAME(@database, 'DATABASE', 'BACKUP DATABASE') AS f, HAS_PERMS_BY_NAME(N'[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]', N'OBJECT', N'SELECT') AS g, " +
            "HAS_PERMS_BY_NAME(N'[Orchestrator].[dbo].[POLICIES]', N'OBJECT', N'DELETE') AS h, SUSER_SNAME() AS i",
            ("@database", "Orchestrator"));

        Assert.Equal<object?>([0, 0, 1, 1, 0, 1, 1, 0, Login], row);
    }

    private static async Task<object?[]> QueryAsync(SqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = 60 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new object?[reader.FieldCount];
        if (await reader.ReadAsync(Ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
        }

        while (await reader.NextResultAsync(Ct))
        {
        }

        return values;
    }
}
