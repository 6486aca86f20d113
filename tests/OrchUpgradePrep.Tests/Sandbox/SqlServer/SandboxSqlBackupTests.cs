using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>BACKUP / RESTORE against the sandbox engine, driven with the raw Microsoft.Data.SqlClient (as orchprep's
/// adapter and an ad-hoc client would), asserting the messages, files and msdb rows SQL Server would produce.</summary>
public sealed class SandboxSqlBackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SandboxSqlProfile Small(TimeSpan? delay = null) => new() { UsedDataBytes = 2L << 20, DelayPerChunk = delay ?? TimeSpan.Zero };

    private static string Backup(IReadOnlyList<string> files, bool compress = false, int stats = 10, string name = "orchprep-test") =>
        new BackupStatement { Database = "Orchestrator", Files = files, Compress = compress, StatsPercent = stats, Name = name, Description = "test" }.ToSql();

    private static async Task<int> ExecAsync(SqlConnection connection, string sql, int timeoutSeconds = 60, CancellationToken? cancellationToken = null)
    {
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        return await command.ExecuteNonQueryAsync(cancellationToken ?? Ct);
    }

    private static async Task<List<Dictionary<string, object?>>> QueryAsync(SqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new SqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(Ct))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Backup_reports_progress_live_then_4035_and_3014_and_records_msdb_rows()
    {
        // 2 MiB data + 1 MiB log = 48 chunks of 64 KiB at 10 ms each: about half a second of visible progress.
        await using var sql = await SandboxSqlFixture.StartAsync(Small(TimeSpan.FromMilliseconds(10)));
        await using var connection = await sql.OpenAsync();
        var log = new SqlMessageLog(connection);
        var file = sql.BackupPath("live.bak");

        await ExecAsync(connection, Backup([file], stats: 10));
        var finished = log.Now;

        var progress = log.Of(3211).Select(e => e.Message).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"{i * 10} percent processed."), progress);
        var firstProgress = log.Messages.First(m => m.Error.Number == 3211).At;
        Assert.True(finished - firstProgress >= TimeSpan.FromMilliseconds(150), $"first 3211 came {(finished - firstProgress).TotalMilliseconds} ms before the end: not live");
        Assert.Equal(
            ["Processed 256 pages for database 'Orchestrator', file 'Orchestrator' on file 1.", "Processed 128 pages for database 'Orchestrator', file 'Orchestrator_log' on file 1."],
            log.Of(4035).Select(e => e.Message));
        Assert.StartsWith("BACKUP DATABASE successfully processed 384 pages in ", Assert.Single(log.Of(3014)).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Messages, m => m.Error.Class >= 11);
        Assert.True(new FileInfo(file).Length > 3L << 20);

        Assert.Equal(1, sql.Engine.HistoryCount);
        var rows = await QueryAsync(connection, BackupQueries.HistoryOfBackupSet, ("@database", "Orchestrator"), ("@name", "orchprep-test"));
        var row = Assert.Single(rows);
        Assert.Equal(file, row["physical_device_name"]);
        Assert.Equal("D", row["type"]);
        Assert.Equal(true, row["is_copy_only"]);
        Assert.Equal(true, row["has_backup_checksums"]);
        Assert.True((decimal)row["first_lsn"]! < (decimal)row["last_lsn"]!);
        var newest = Assert.Single(await QueryAsync(connection, RecentFullVerifiedBackupCheck.HistoryQuery, ("@database", "Orchestrator")));
        Assert.Equal(file, newest["physical_device_name"]);
        Assert.Equal(0, newest["age_minutes"]);
    }

    [Fact]
    public async Task Striping_writes_one_family_per_file_and_one_msdb_row_each()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var files = Enumerable.Range(1, 3).Select(i => sql.BackupPath($"stripe_{i}.bak")).ToList();

        await ExecAsync(connection, Backup(files));

        var sizes = files.Select(f => new FileInfo(f).Length).ToList();
        Assert.All(sizes, size => Assert.InRange(size, 1L << 20, 2L << 20));
        var rows = await QueryAsync(connection, BackupQueries.HistoryOfBackupSet, ("@database", "Orchestrator"), ("@name", "orchprep-test"));
        Assert.Equal(files, rows.Select(r => (string)r["physical_device_name"]!));
        Assert.Equal([(byte)1, (byte)2, (byte)3], rows.Select(r => (byte)r["family_sequence_number"]!));
        Assert.Equal(1, sql.Engine.HistoryCount);
    }

    [Fact]
    public async Task Compression_makes_smaller_files_and_headeronly_says_so()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var plain = sql.BackupPath("plain.bak");
        var compressed = sql.BackupPath("compressed.bak");

        await ExecAsync(connection, Backup([plain]));
        await ExecAsync(connection, Backup([compressed], compress: true, name: "compressed"));

        Assert.Contains("NO_COMPRESSION", Backup([plain]), StringComparison.Ordinal);
        Assert.True(new FileInfo(compressed).Length * 3 < new FileInfo(plain).Length, $"{new FileInfo(compressed).Length} vs {new FileInfo(plain).Length}");
        var header = Assert.Single(await QueryAsync(connection, BackupQueries.HeaderOnly([compressed])));
        Assert.Equal(true, header["Compressed"]);
        Assert.True((long)header["CompressedBackupSize"]! < (decimal)header["BackupSize"]!);
        var verify = new SqlMessageLog(connection);
        await ExecAsync(connection, BackupQueries.VerifyOnly([compressed], 5));
        Assert.Equal("The backup set on file 1 is valid.", Assert.Single(verify.Of(3262)).Message);
    }

    [Fact]
    public async Task Headeronly_and_filelistonly_have_sql_server_2022_columns_and_types()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("h.bak");
        await ExecAsync(connection, Backup([file]));

        await using (var command = new SqlCommand(BackupQueries.HeaderOnly([file]), connection))
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            Assert.Equal(59, reader.FieldCount);
            Assert.Equal(["BackupName", "BackupDescription", "BackupType", "ExpirationDate", "Compressed", "Position"], Enumerable.Range(0, 6).Select(reader.GetName));
            Assert.Equal("CompressionAlgorithm", reader.GetName(58));
            Assert.Equal(typeof(decimal), reader.GetFieldType(reader.GetOrdinal("FirstLSN")));
            Assert.Equal("decimal", reader.GetDataTypeName(reader.GetOrdinal("LastLSN"))); // SqlClient names NUMERICN "decimal"
            Assert.Equal(typeof(long), reader.GetFieldType(reader.GetOrdinal("CompressedBackupSize")));
            Assert.Equal("datetime", reader.GetDataTypeName(reader.GetOrdinal("BackupFinishDate")));
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal("Orchestrator", reader["DatabaseName"]);
            Assert.Equal((short)1, reader["BackupType"]);
            Assert.Equal((short)1, reader["Position"]);
            Assert.Equal(true, reader["IsCopyOnly"]);
            Assert.Equal(true, reader["HasBackupChecksums"]);
            Assert.Equal(false, reader["IsDamaged"]);
            Assert.Equal("orchprep-test", reader["BackupName"]);
            Assert.Equal("SIMPLE", reader["RecoveryModel"]);
            Assert.True((decimal)reader["FirstLSN"] < (decimal)reader["LastLSN"]);
            Assert.Equal((3m * (1 << 20)) + 8192, (decimal)reader["BackupSize"]);
            Assert.Equal((3L << 20) + 8192, reader["CompressedBackupSize"]);
            Assert.False(await reader.ReadAsync(Ct));
        }

        var files = await QueryAsync(connection, BackupQueries.FileListOnly([file]));
        Assert.Equal(22, files[0].Count);
        Assert.Equal(["Orchestrator", "Orchestrator_log"], files.Select(f => (string)f["LogicalName"]!));
        Assert.Equal(["D", "L"], files.Select(f => (string)f["Type"]!));
        Assert.Equal(Path.Combine(sql.Engine.DataDirectory, "Orchestrator.mdf"), files[0]["PhysicalName"]);
        Assert.Equal((decimal)sql.Engine.Profile.DataFileBytes, files[0]["Size"]);
        Assert.Equal([1L, 2L], files.Select(f => (long)f["FileId"]!));
        Assert.All(files, f => Assert.Equal(true, f["IsPresent"]));
    }

    [Fact]
    public async Task Verifyonly_refuses_missing_malformed_and_checksumless_media()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var noChecksums = sql.BackupPath("nochk.bak");
        var junk = sql.BackupPath("junk.bak");
        await File.WriteAllTextAsync(junk, "not a backup", Ct);
        await ExecAsync(connection, $"BACKUP DATABASE [Orchestrator] TO DISK = N'{noChecksums}' WITH COPY_ONLY, INIT, FORMAT, STATS = 50");

        var missing = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.VerifyOnly([sql.BackupPath("none.bak")], 5)));
        var malformed = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.VerifyOnly([junk], 5)));
        var checksum = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.VerifyOnly([noChecksums], 5)));

        Assert.Equal(3201, missing.Number);
        Assert.Contains("Operating system error 2(The system cannot find the file specified.)", missing.Message, StringComparison.Ordinal);
        Assert.Equal("VERIFY DATABASE is terminating abnormally.", missing.Errors[1].Message);
        Assert.Equal(3241, malformed.Number);
        Assert.Equal(3187, checksum.Number);
        Assert.Equal(3013, checksum.Errors[1].Number);
        var log = new SqlMessageLog(connection);
        await ExecAsync(connection, $"RESTORE VERIFYONLY FROM DISK = N'{noChecksums}'");
        Assert.Single(log.Of(3262));
    }

    [Fact]
    public async Task Backup_checks_database_permission_edition_and_path_in_that_order()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { IsSysadmin = false, CanBackup = false, CanControlServer = false, DelayPerChunk = TimeSpan.Zero, UsedDataBytes = 1L << 20 });
        await using var express = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { Edition = "Express Edition (64-bit)", EngineEdition = 4, DelayPerChunk = TimeSpan.Zero, UsedDataBytes = 1L << 20 });
        await using var connection = await sql.OpenAsync();
        await using var expressConnection = await express.OpenAsync();

        var unknown = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, "BACKUP DATABASE [Nope] TO DISK = N'/nowhere/x.bak' WITH INIT"));
        var denied = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, Backup([sql.BackupPath("d.bak")])));
        var compression = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(expressConnection, Backup(["/outside/x.bak"], compress: true)));
        var noFolder = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(expressConnection, Backup([Path.Combine(express.Engine.BackupDirectory, "sub", "x.bak")])));

        Assert.Equal(911, unknown.Number);
        Assert.Equal("Database 'Nope' does not exist. Make sure that the name is entered correctly.", unknown.Errors[0].Message);
        Assert.Equal(262, denied.Number);
        Assert.Equal(14, denied.Class);
        Assert.Equal("BACKUP DATABASE permission denied in database 'Orchestrator'.", denied.Errors[0].Message);
        Assert.Equal("BACKUP DATABASE is terminating abnormally.", denied.Errors[1].Message);
        Assert.Equal("BACKUP DATABASE WITH COMPRESSION is not supported on Express Edition (64-bit).", compression.Errors[0].Message);
        Assert.Equal(3201, noFolder.Number);
        Assert.Contains("Operating system error 3(The system cannot find the path specified.)", noFolder.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory));
        Assert.Equal(0, sql.Engine.HistoryCount + express.Engine.HistoryCount);
    }

    [Fact]
    public async Task Without_create_database_permission_verifyonly_is_3110()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { IsSysadmin = false, CanCreateDatabase = false, CanControlServer = false, DelayPerChunk = TimeSpan.Zero, UsedDataBytes = 1L << 20 });
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("p.bak");
        await ExecAsync(connection, Backup([file]));

        var denied = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.VerifyOnly([file], 5)));

        Assert.Equal(3110, denied.Number);
        Assert.Equal(14, denied.Class);
        Assert.Equal(3013, denied.Errors[1].Number);
    }

    [Fact]
    public async Task Running_out_of_space_is_3202_and_the_partial_file_stays()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 4L << 20, FreeBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero });
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("full.bak");

        var full = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, Backup([file])));

        Assert.Equal(3202, full.Number);
        Assert.Equal($"Write on '{file}' failed: 112(There is not enough space on the disk.)", full.Errors[0].Message);
        Assert.Equal(3013, full.Errors[1].Number);
        Assert.InRange(new FileInfo(file).Length, SandboxBackupMediaSize.Header, 1L << 20);
        Assert.Equal(0, sql.Engine.HistoryCount);
        Assert.InRange(sql.Engine.AvailableBytes, 0, 128L << 10);
    }

    [Fact]
    public async Task A_dropped_connection_mid_backup_breaks_the_connection_and_leaves_no_msdb_row()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small() with { Fault = SandboxSqlFault.DropConnectionMidBackup });
        await using var connection = await sql.OpenAsync();
        var log = new SqlMessageLog(connection);
        var file = sql.BackupPath("drop.bak");

        var dropped = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, Backup([file])));

        Assert.NotEqual(ConnectionState.Open, connection.State);
        Assert.True(dropped.Class >= 20 || dropped.Number is 0 or -2, $"{dropped.Number} class {dropped.Class}: {dropped.Message}");
        Assert.DoesNotContain(log.Messages, m => m.Error.Number == 3014);
        Assert.True(File.Exists(file), "the partial file stays, as after a real network failure");
        Assert.Equal(0, sql.Engine.HistoryCount);
        await using var again = await sql.OpenAsync();
        await using var probe = new SqlCommand("SELECT 1", again);
        Assert.Equal(1, await probe.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_backup_damaged_after_writing_succeeds_but_verifyonly_finds_the_damage()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small() with { Fault = SandboxSqlFault.CorruptBackupAfterWrite });
        await using var connection = await sql.OpenAsync();
        var log = new SqlMessageLog(connection);
        var file = sql.BackupPath("rot.bak");

        await ExecAsync(connection, Backup([file]));
        connection.FireInfoMessageEventOnUserErrors = false; // errors throw again
        var header = Assert.Single(await QueryAsync(connection, BackupQueries.HeaderOnly([file])));
        var damaged = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.VerifyOnly([file], 5)));

        Assert.Single(log.Of(3014));
        Assert.Equal(false, header["IsDamaged"]);
        Assert.Equal(3183, damaged.Number);
        Assert.Matches(@"^RESTORE detected an error on page \(1:\d+\) in database ""Orchestrator"" as read from the backup set\.$", damaged.Errors[0].Message);
        Assert.Equal(1, sql.Engine.HistoryCount);
    }

    [Fact]
    public async Task A_command_timeout_stops_the_backup_and_the_connection_stays_usable()
    {
        // 8 MiB + 1 MiB log = 144 chunks at 30 ms: over 4 s, so a 1 s CommandTimeout sends ATTENTION mid-backup.
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(30) });
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("slow.bak");

        var timeout = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, Backup([file]), timeoutSeconds: 1));

        Assert.Equal(-2, timeout.Number);
        Assert.Equal(ConnectionState.Open, connection.State);
        await using var probe = new SqlCommand("SELECT DB_NAME()", connection);
        Assert.Equal("Orchestrator", await probe.ExecuteScalarAsync(Ct));
        Assert.Equal(0, sql.Engine.HistoryCount);
        Assert.True(new FileInfo(file).Length < 8L << 20, "the backup stopped part-way");
    }

    [Fact]
    public async Task Cancelling_the_command_stops_the_backup_and_the_connection_stays_usable()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(30) });
        await using var connection = await sql.OpenAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        connection.FireInfoMessageEventOnUserErrors = true;
        connection.InfoMessage += (_, e) =>
        {
            if (e.Errors.Cast<SqlError>().Any(x => x.Number == 3211 && x.Message == "20 percent processed."))
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<Exception>(() => ExecAsync(connection, Backup([sql.BackupPath("c.bak")]), timeoutSeconds: 0, cancellationToken: cancel.Token));

        Assert.True(cancel.IsCancellationRequested);
        Assert.Equal(ConnectionState.Open, connection.State);
        await using var probe = new SqlCommand("SELECT 1", connection);
        Assert.Equal(1, await probe.ExecuteScalarAsync(Ct));
        Assert.Equal(0, sql.Engine.HistoryCount);
    }

    [Fact]
    public async Task Verifyonly_reports_percent_progress_only_with_stats_as_sql_server_does()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("v.bak");
        await ExecAsync(connection, Backup([file]));
        var log = new SqlMessageLog(connection);

        await ExecAsync(connection, $"RESTORE VERIFYONLY FROM DISK = {TSql.String(file)} WITH CHECKSUM");
        Assert.Empty(log.Of(3211));

        await ExecAsync(connection, BackupQueries.VerifyOnly([file], 25));
        Assert.Equal(["25 percent processed.", "50 percent processed.", "75 percent processed.", "100 percent processed."], log.Of(3211).Select(e => e.Message));
        Assert.Equal(2, log.Of(3262).Count);
    }

    [Fact]
    public async Task Restore_with_move_creates_the_database_then_checkdb_and_drop_remove_it()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("r.bak");
        await ExecAsync(connection, Backup([file]));
        var mdf = Path.Combine(sql.Engine.DataDirectory, "Copy.mdf");
        var ldf = Path.Combine(sql.Engine.DataDirectory, "Copy_log.ldf");
        var log = new SqlMessageLog(connection);

        await ExecAsync(connection, BackupQueries.RestoreAs("Orchestrator_verify", [file], [("Orchestrator", mdf), ("Orchestrator_log", ldf)], 25));

        Assert.Equal(["25 percent processed.", "50 percent processed.", "75 percent processed.", "100 percent processed."], log.Of(3211).Select(e => e.Message));
        Assert.Equal(2, log.Of(4035).Count);
        Assert.StartsWith("RESTORE DATABASE successfully processed 384 pages in ", Assert.Single(log.Of(3014)).Message, StringComparison.Ordinal);
        Assert.Equal(sql.Engine.Profile.DataFileBytes, new FileInfo(mdf).Length);
        Assert.Contains("Orchestrator_verify", sql.Engine.DatabaseNames);
        Assert.Single(await QueryAsync(connection, BackupQueries.Database, ("@database", "Orchestrator_verify")));
        Assert.DoesNotContain(log.Messages, m => m.Error.Class >= 11);
        connection.FireInfoMessageEventOnUserErrors = false; // errors throw again

        var exists = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.RestoreAs("Orchestrator_verify", [file], [("Orchestrator", mdf + "2"), ("Orchestrator_log", ldf + "2")], 25)));
        Assert.Equal(1801, exists.Number);
        Assert.Equal("RESTORE DATABASE is terminating abnormally.", exists.Errors[1].Message);

        await ExecAsync(connection, BackupQueries.CheckDb("Orchestrator_verify"));
        await ExecAsync(connection, BackupQueries.DropDatabase("Orchestrator_verify"));
        Assert.DoesNotContain("Orchestrator_verify", sql.Engine.DatabaseNames);
        Assert.False(File.Exists(mdf) || File.Exists(ldf));

        var checkGone = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.CheckDb("Orchestrator_verify")));
        var dropGone = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.DropDatabase("Orchestrator_verify")));
        var dropMaster = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, BackupQueries.DropDatabase("master")));
        Assert.Equal(2520, checkGone.Number);
        Assert.Equal(3701, dropGone.Number);
        Assert.Equal(11, dropGone.Class);
        Assert.Equal(3708, dropMaster.Number);
        Assert.Contains("Orchestrator", sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task Restore_over_the_live_databases_files_is_refused()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("o.bak");
        await ExecAsync(connection, Backup([file]));
        var before = File.GetLastWriteTimeUtc(Path.Combine(sql.Engine.DataDirectory, "Orchestrator.mdf"));

        var refused = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection, $"RESTORE DATABASE [Other] FROM DISK = N'{file}' WITH CHECKSUM, RECOVERY"));

        Assert.Equal(1834, refused.Number);
        Assert.Equal($"The file '{Path.Combine(sql.Engine.DataDirectory, "Orchestrator.mdf")}' cannot be overwritten.  It is being used by database 'Orchestrator'.", refused.Errors[0].Message);
        Assert.DoesNotContain("Other", sql.Engine.DatabaseNames);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(sql.Engine.DataDirectory, "Orchestrator.mdf")));
    }

    [Fact]
    public async Task Restore_cannot_move_files_outside_the_root()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small());
        await using var connection = await sql.OpenAsync();
        var file = sql.BackupPath("m.bak");
        await ExecAsync(connection, Backup([file]));
        var outside = Path.Combine(Path.GetTempPath(), $"escape-{Guid.NewGuid():N}.mdf");

        var refused = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(connection,
            BackupQueries.RestoreAs("Escape", [file], [("Orchestrator", outside), ("Orchestrator_log", Path.Combine(sql.Engine.DataDirectory, "e.ldf"))], 10)));

        Assert.Equal(5133, refused.Number);
        Assert.Contains("operating system error 5(Access is denied.)", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        Assert.DoesNotContain("Escape", sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task Msdb_history_is_seeded_from_the_profile_and_ages_with_the_servers_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var profile = Small() with { History = [new SeededBackup(TimeSpan.FromDays(3), CopyOnly: false, HasChecksums: true, IsDamaged: false, DeviceName: @"D:\Backup\nightly.bak")] };
        await using var sql = await SandboxSqlFixture.StartAsync(profile, time: time);
        await using var connection = await sql.OpenAsync();

        var seeded = Assert.Single(await QueryAsync(connection, RecentFullVerifiedBackupCheck.HistoryQuery, ("@database", "Orchestrator")));
        time.Advance(TimeSpan.FromMinutes(30));
        var later = Assert.Single(await QueryAsync(connection, RecentFullVerifiedBackupCheck.HistoryQuery, ("@database", "Orchestrator")));
        var file = sql.BackupPath("new.bak");
        await ExecAsync(connection, Backup([file]));
        var newest = Assert.Single(await QueryAsync(connection, RecentFullVerifiedBackupCheck.HistoryQuery, ("@database", "Orchestrator")));

        Assert.Equal(@"D:\Backup\nightly.bak", seeded["physical_device_name"]);
        Assert.Equal(new DateTime(2026, 1, 7, 12, 0, 0), seeded["backup_finish_date"]);
        Assert.Equal(3 * 24 * 60, seeded["age_minutes"]);
        Assert.Equal(false, seeded["is_copy_only"]);
        Assert.Equal((3 * 24 * 60) + 30, later["age_minutes"]);
        Assert.Equal(file, newest["physical_device_name"]);
        Assert.Equal(new DateTime(2026, 1, 10, 12, 30, 0), newest["backup_finish_date"]);
        Assert.Equal(2, sql.Engine.HistoryCount);
        Assert.Empty(await QueryAsync(connection, RecentFullVerifiedBackupCheck.HistoryQuery, ("@database", "OtherDb")));
    }

    [Fact]
    public async Task Backup_over_tls_works_like_plaintext()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Small(), TdsEncryptionMode.Required);
        await using var connection = await sql.OpenAsync(encrypt: "Mandatory", trust: true);
        var log = new SqlMessageLog(connection);
        var file = sql.BackupPath("tls.bak");

        await ExecAsync(connection, Backup([file], stats: 25));
        await ExecAsync(connection, BackupQueries.VerifyOnly([file], 25));

        // 4 from BACKUP, 4 from VERIFYONLY WITH STATS = 25.
        Assert.Equal(8, log.Of(3211).Count);
        Assert.Single(log.Of(3014));
        Assert.Single(log.Of(3262));
    }

    /// <summary>Sizes of the sandbox media format the tests rely on.</summary>
    private static class SandboxBackupMediaSize
    {
        public const long Header = 8192;
    }
}
