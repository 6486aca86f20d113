using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>The sandbox's SQL Server answered by the real Microsoft.Data.SqlClient over TCP, with and without TLS.</summary>
public sealed class SandboxSqlEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TdsEncryptionMode.NotSupported, SqlEncrypt.Optional, false)]
    [InlineData(TdsEncryptionMode.LoginOnly, SqlEncrypt.Optional, false)]
    [InlineData(TdsEncryptionMode.LoginOnly, SqlEncrypt.Mandatory, true)]
    public async Task The_facts_query_reads_the_profile_over_plaintext_and_tls(TdsEncryptionMode mode, SqlEncrypt encrypt, bool trust)
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { ProductVersion = "15.0.4382.1", Edition = "Enterprise Edition (64-bit)", EngineEdition = 3 }, mode);
        await using var session = await sql.Connector(encrypt, trust).OpenAsync(Ct);

        var facts = await SqlServerFacts.ReadAsync(session, Ct);

        Assert.Equal(new Version(15, 0, 4382, 1), facts.ProductVersion);
        Assert.Equal("Enterprise Edition (64-bit)", facts.Edition);
        Assert.Equal(3, facts.EngineEdition);
    }

    [Fact]
    public async Task Ad_hoc_version_query_works()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand("SELECT @@VERSION", connection);

        var version = (string?)await command.ExecuteScalarAsync(Ct);

        Assert.StartsWith("Microsoft SQL Server 2022", version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM dbo.NoSuchTable", 208)]
    [InlineData("EXEC dbo.sp_nothing", 2812)]
    [InlineData("UPSERT everything", 2812)]
    [InlineData("SELEC 1", 2812)]
    [InlineData("SELECT FROM", 156)]
    public async Task Unknown_statements_fail_as_sql_server_would(string statement, int number)
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var connection = await sql.OpenAsync();
        await using var command = new SqlCommand(statement, connection);

        var error = await Assert.ThrowsAsync<SqlException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Equal(number, error.Number);
    }

    [Fact]
    public async Task A_striped_backup_needs_every_family_and_headeronly_reads_by_column_name()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var session = await sql.Connector().OpenAsync(Ct);
        var files = Enumerable.Range(1, 3).Select(i => Path.Combine(sql.Engine.BackupDirectory, $"s_{i}of3.bak")).ToList();
        var backup = new BackupStatement { Database = "Orchestrator", Files = files, Name = "t1", Description = "test", Compress = true };
        var progress = new List<SqlMessage>();

        var taken = await session.ExecuteAsync(backup.ToSql(), TimeSpan.FromMinutes(1), progress.Add, Ct);

        Assert.Contains(taken.Messages, m => m.Number == 3014);
        Assert.Contains(progress, m => m.Number == 3211 && m.Text == "50 percent processed.");
        var header = BackupHeaderValidator.Validate(await session.QueryAsync(BackupQueries.HeaderOnly(files), null, Ct), "Orchestrator");
        Assert.True(header.IsValid, string.Join("; ", header.Problems));
        var valid = await session.ExecuteAsync(BackupQueries.VerifyOnly(files, 10), TimeSpan.FromMinutes(1), null, Ct);
        Assert.Contains(valid.Messages, m => m.Number == 3262);

        var missing = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.VerifyOnly(files.Take(2).ToList(), 10), TimeSpan.FromMinutes(1), null, Ct));
        Assert.Equal(3132, missing.Number);
        Assert.Contains(missing.Messages, m => m.Number == 3013);
    }

    [Fact]
    public async Task Flipped_bytes_are_found_by_verifyonly()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var session = await sql.Connector().OpenAsync(Ct);
        var file = Path.Combine(sql.Engine.BackupDirectory, "flip.bak");
        await session.ExecuteAsync(new BackupStatement { Database = "Orchestrator", Files = [file], Name = "f", Description = "d" }.ToSql(), TimeSpan.FromMinutes(1), null, Ct);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            stream.WriteByte(0x5A);
            stream.WriteByte(0xA5);
        }

        var damaged = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.VerifyOnly([file], 10), TimeSpan.FromMinutes(1), null, Ct));

        Assert.Equal(3183, damaged.Number);
        Assert.Contains(damaged.Messages, m => m.Number == 3013 && m.Text == "VERIFY DATABASE is terminating abnormally.");
    }

    [Fact]
    public async Task Restore_under_a_new_name_then_checkdb_then_drop()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var session = await sql.Connector().OpenAsync(Ct);
        var file = Path.Combine(sql.Engine.BackupDirectory, "r.bak");
        await session.ExecuteAsync(new BackupStatement { Database = "Orchestrator", Files = [file], Name = "r", Description = "d" }.ToSql(), TimeSpan.FromMinutes(1), null, Ct);
        var moves = new[] { ("Orchestrator", Path.Combine(sql.Engine.DataDirectory, "copy.mdf")), ("Orchestrator_log", Path.Combine(sql.Engine.DataDirectory, "copy.ldf")) };

        var restored = await session.ExecuteAsync(BackupQueries.RestoreAs("Copy", [file], moves, 10), TimeSpan.FromMinutes(1), null, Ct);
        Assert.Contains(restored.Messages, m => m.Number == 3014);
        Assert.Contains("Copy", sql.Engine.DatabaseNames);
        var again = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.RestoreAs("Copy", [file], moves, 10), TimeSpan.FromMinutes(1), null, Ct));
        Assert.Equal(1801, again.Number);
        var overwrite = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.RestoreAs("Copy2", [file], [], 10), TimeSpan.FromMinutes(1), null, Ct));
        Assert.Equal(1834, overwrite.Number);

        var check = await session.ExecuteAsync(BackupQueries.CheckDb("Copy"), TimeSpan.FromMinutes(1), null, Ct);
        Assert.Empty(check.Messages);
        await session.ExecuteAsync(BackupQueries.DropDatabase("Copy"), TimeSpan.FromMinutes(1), null, Ct);
        Assert.DoesNotContain("Copy", sql.Engine.DatabaseNames);
        Assert.False(File.Exists(moves[0].Item2));
        var protectedDb = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.DropDatabase("Orchestrator"), TimeSpan.FromMinutes(1), null, Ct));
        Assert.Equal(3702, protectedDb.Number);
    }

    [Fact]
    public async Task Backup_outside_the_servers_volume_is_access_denied_and_express_cannot_compress()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { Edition = "Express Edition (64-bit)", EngineEdition = 4, UsedDataBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero });
        await using var session = await sql.Connector().OpenAsync(Ct);

        var outside = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(
            new BackupStatement { Database = "Orchestrator", Files = [Path.Combine(Path.GetTempPath(), "escape.bak")], Name = "x", Description = "x" }.ToSql(), TimeSpan.FromMinutes(1), null, Ct));
        var compressed = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(
            new BackupStatement { Database = "Orchestrator", Files = [Path.Combine(sql.Engine.BackupDirectory, "c.bak")], Name = "x", Description = "x", Compress = true }.ToSql(), TimeSpan.FromMinutes(1), null, Ct));

        Assert.Equal(3201, outside.Number);
        Assert.Contains("Access is denied", outside.Message, StringComparison.Ordinal);
        Assert.Equal(1844, compressed.Number);
        Assert.Equal(0, sql.Engine.HistoryCount);
    }

    [Fact]
    public async Task Service_master_key_backup_writes_a_file_and_refuses_to_overwrite_it()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        await using var session = await sql.Connector().OpenAsync(Ct);
        var file = Path.Combine(sql.Engine.BackupDirectory, "k.smk");

        await session.ExecuteAsync(BackupQueries.BackupServiceMasterKey(file, "Key-Pass'w0rd"), TimeSpan.FromMinutes(1), null, Ct);
        var again = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.BackupServiceMasterKey(file, "Key-Passw0rd"), TimeSpan.FromMinutes(1), null, Ct));

        Assert.True(new FileInfo(file).Length > 32);
        Assert.Equal(15240, again.Number);
    }
}
