using Microsoft.Data.SqlClient;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The sandbox's second instance, as strict as SQL Server: it reads another instance's backup folder only through
/// a share, never writes there, refuses a backup written by a newer version (3169) and a copy bigger than its free
/// space (3257, 3119, 3013), and a restored copy keeps the backup's database master key.</summary>
public sealed class SandboxRestoreServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OrchUpgradePrep.Sandbox.SqlServer.SandboxSqlProfile Second = new()
    {
        ServerName = @"ORCH-SQL02\ORCH",
        HostsOrchestratorDatabase = false,
        OnAnotherMachine = true,
        UsedDataBytes = 2L << 20,
        DelayPerChunk = TimeSpan.Zero,
    };

    private static async Task<string> BackupAsync(SandboxSqlFixture source)
    {
        var file = source.BackupPath("strict.bak");
        await using var connection = await source.OpenAsync();
        await using var command = new SqlCommand($"BACKUP DATABASE [Orchestrator] TO DISK = N'{file}' WITH COPY_ONLY, CHECKSUM, INIT, FORMAT", connection);
        await command.ExecuteNonQueryAsync(Ct);
        return file;
    }

    private static async Task<SqlException> FailsAsync(SandboxSqlFixture server, string sql)
    {
        await using var connection = await server.OpenAsync(database: "master");
        await using var command = new SqlCommand(sql, connection);
        return await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));
    }

    private static string Restore(string file, string dataDirectory) =>
        $"RESTORE DATABASE [copy] FROM DISK = N'{file}' WITH MOVE N'Orchestrator' TO N'{Path.Combine(dataDirectory, "copy.mdf")}', " +
        $"MOVE N'Orchestrator_log' TO N'{Path.Combine(dataDirectory, "copy.ldf")}', CHECKSUM, RECOVERY";

    [Fact]
    public async Task A_folder_it_does_not_share_is_not_found_there()
    {
        await using var source = await SandboxSqlFixture.StartAsync();
        await using var second = await SandboxSqlFixture.StartAsync(Second);
        var file = await BackupAsync(source);

        var error = await FailsAsync(second, $"RESTORE HEADERONLY FROM DISK = N'{file}'");

        Assert.Equal([3201, 3013], error.Errors.Cast<SqlError>().Select(e => e.Number));
        Assert.Contains("Operating system error 3(The system cannot find the path specified.)", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_folder_is_read_with_the_writers_version_and_never_written()
    {
        await using var source = await SandboxSqlFixture.StartAsync();
        await using var second = await SandboxSqlFixture.StartAsync(Second with { ProductVersion = "15.0.4375.4" }, sharedDirectories: [source.Engine.BackupDirectory]);
        var file = await BackupAsync(source);
        await using var connection = await second.OpenAsync(database: "master");

        await using (var header = new SqlCommand($"RESTORE HEADERONLY FROM DISK = N'{file}'", connection))
        await using (var reader = await header.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(16, reader.GetInt32(reader.GetOrdinal("SoftwareVersionMajor")));
            Assert.Equal("ORCH-SQL01", reader.GetString(reader.GetOrdinal("ServerName")));
        }

        var write = await FailsAsync(second, $"BACKUP DATABASE [master] TO DISK = N'{source.BackupPath("from-second.bak")}' WITH COPY_ONLY");
        Assert.Equal(3201, write.Errors[0].Number);
        Assert.False(File.Exists(source.BackupPath("from-second.bak")));
    }

    [Fact]
    public async Task A_backup_from_a_newer_version_is_refused_with_3169_and_nothing_is_created()
    {
        await using var source = await SandboxSqlFixture.StartAsync();
        await using var second = await SandboxSqlFixture.StartAsync(Second with { ProductVersion = "15.0.4375.4" }, sharedDirectories: [source.Engine.BackupDirectory]);
        var file = await BackupAsync(source);

        var error = await FailsAsync(second, Restore(file, second.Engine.DataDirectory));

        Assert.Equal([3169, 3013], error.Errors.Cast<SqlError>().Select(e => e.Number));
        Assert.Contains("running version 16.00.4135", error.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("which is running version 15.00.4375", error.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(["master", "msdb"], second.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_copy_bigger_than_its_free_space_is_refused_while_planning()
    {
        await using var source = await SandboxSqlFixture.StartAsync();
        await using var second = await SandboxSqlFixture.StartAsync(Second with { FreeBytes = 64L << 20 }, sharedDirectories: [source.Engine.BackupDirectory]);
        var file = await BackupAsync(source);

        var error = await FailsAsync(second, Restore(file, second.Engine.DataDirectory));

        Assert.Equal([3257, 3119, 3013], error.Errors.Cast<SqlError>().Select(e => e.Number));
        Assert.Equal(["master", "msdb"], second.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_restored_copy_keeps_the_backups_database_master_key()
    {
        await using var source = await SandboxSqlFixture.StartAsync();
        await using var second = await SandboxSqlFixture.StartAsync(Second, sharedDirectories: [source.Engine.BackupDirectory]);
        var file = await BackupAsync(source);
        await using var connection = await second.OpenAsync(database: "master");
        await using (var restore = new SqlCommand(Restore(file, second.Engine.DataDirectory), connection))
        {
            await restore.ExecuteNonQueryAsync(Ct);
        }

        await using var keys = new SqlCommand("SELECT name, create_date FROM [copy].sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##'", connection);
        await using var reader = await keys.ExecuteReaderAsync(Ct);

        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("##MS_DatabaseMasterKey##", reader.GetString(0));
    }
}
