using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeSqlConnector;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>The backup step's decisions against a scripted server: positive evidence or no trust (dbatools #6414).
/// The same flows run against the sandbox's TDS server with the real SqlClient in BackupPreparationSandboxTests.</summary>
public sealed class BackupPreparationTests
{
    private const string Directory = "/srv/backup/orch";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);

    private static FakeSqlConnector Server(string edition = "Standard Edition (64-bit)", int engineEdition = 2, long available = 100L << 30, int canBackup = 1) =>
        new FakeSqlConnector()
            .ServerProperties(edition: edition, engineEdition: engineEdition)
            .Answer("SERVERPROPERTY('ServerName')", Row(("ServerName", @"SQL01\ORCH")))
            .Answer("FROM sys.databases", Row(("name", "Orchestrator"), ("state_desc", "ONLINE"), ("recovery_model_desc", "SIMPLE"), ("collation_name", "SQL_Latin1_General_CP1_CI_AS"), ("is_encrypted", false)))
            .Answer("FROM sys.database_files", Row(("name", "Orchestrator"), ("physical_name", @"D:\Data\Orchestrator.mdf"), ("type_desc", "ROWS"), ("size_bytes", 1L << 30), ("used_bytes", 200L << 20)),
                Row(("name", "Orchestrator_log"), ("physical_name", @"D:\Data\Orchestrator_log.ldf"), ("type_desc", "LOG"), ("size_bytes", 256L << 20), ("used_bytes", 10L << 20)))
            .Answer("IS_SRVROLEMEMBER", Row(("is_sysadmin", 0), ("can_backup", canBackup), ("can_create_database", 1), ("can_control_server", 1)))
            .Answer("SUSER_SNAME()", Row([("login_name", "svc-orchprep"), .. LoginGrants.For("Orchestrator").Select(g => (g.Column, (object?)(g.Column == "backup_database" ? canBackup : 1)))]))
            .Answer("dm_os_volume_stats", Row(("volume_mount_point", "/srv/backup/"), ("total_bytes", 500L << 30), ("available_bytes", available)));

    private static BackupPreparation Preparation(FakeSqlConnector server, MockFileSystem? files = null, BackupCompression compression = BackupCompression.Auto) =>
        new(server, files ?? new MockFileSystem(), new FakeTimeProvider(Now), new BackupPreparationOptions
        {
            EnvironmentName = "prod",
            Sql = new SqlConfig { Server = "sql01", Database = "Orchestrator" },
            Policy = new BackupPolicy { Directory = Directory, Compression = compression },
        });

    private static CheckResult Result(BackupPreparationResult result, string id) => result.Checks.Single(c => c.Id == id);

    [Fact]
    public async Task Too_little_free_space_fails_before_any_write_statement()
    {
        var server = Server(available: 100L << 20);

        var result = await Preparation(server).RunAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, Result(result, BackupCheckIds.FreeSpace).Status);
        Assert.Equal(CheckStatus.Unmet, Result(result, BackupCheckIds.Taken).Status);
        Assert.DoesNotContain(server.Received, q => q.StartsWith("BACKUP", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.NotStarted, Assert.Single(result.Actions).Outcome);
        Assert.Null(result.Summary);
    }

    [Fact]
    public async Task A_backup_without_the_3014_success_message_is_not_trusted()
    {
        var server = Server().Execute("BACKUP DATABASE", new SqlMessage(3211, 0, 1, "100 percent processed."));

        var result = await Preparation(server).RunAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, Result(result, BackupCheckIds.Taken).Status);
        Assert.Contains("3014", Result(result, BackupCheckIds.Taken).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Received, q => q.Contains("VERIFYONLY", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Skipped, Result(result, BackupCheckIds.VerifyOnly).Status);
    }

    [Fact]
    public async Task Verifyonly_that_raises_no_error_but_never_says_valid_leaves_the_backup_unverified()
    {
        var server = Server()
            .Execute("BACKUP DATABASE", new SqlMessage(3014, 0, 1, "BACKUP DATABASE successfully processed 100 pages in 0.1 seconds (8 MB/sec)."))
            .Execute("VERIFYONLY")
            .Answer("HEADERONLY", Row(("DatabaseName", "Orchestrator"), ("BackupType", 1), ("IsCopyOnly", true), ("HasBackupChecksums", true), ("IsDamaged", false), ("Position", 1), ("FirstLSN", "1"), ("LastLSN", "2"), ("CheckpointLSN", "1"), ("DatabaseBackupLSN", "0"), ("BackupSize", 10L), ("BackupFinishDate", null)))
            .Answer("FILELISTONLY", Row(("LogicalName", "Orchestrator"), ("PhysicalName", @"D:\Data\Orchestrator.mdf"), ("Type", "D"), ("Size", 1L << 30)), Row(("LogicalName", "Orchestrator_log"), ("PhysicalName", @"D:\Data\Orchestrator_log.ldf"), ("Type", "L"), ("Size", 1L)))
            .Answer("msdb.dbo.backupset", []);

        var result = await Preparation(server).RunAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, Result(result, BackupCheckIds.VerifyOnly).Status);
        Assert.Equal(VerifiedLevel.None, result.Summary!.Verified);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Verify && a.Outcome == ActionOutcome.Failed);
    }

    [Fact]
    public async Task Compression_on_is_refused_on_express_before_writing()
    {
        var server = Server(edition: "Express Edition (64-bit)", engineEdition: 4);

        var result = await Preparation(server, compression: BackupCompression.On).RunAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Unmet, Result(result, BackupCheckIds.Taken).Status);
        Assert.Contains("Express", Result(result, BackupCheckIds.Taken).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Received, q => q.StartsWith("BACKUP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_backup_reports_the_server_messages_and_removes_the_partial_file()
    {
        var files = new MockFileSystem();
        var server = Server().ExecuteFails("BACKUP DATABASE",
            new SqlMessage(3202, 16, 1, "Write on 'x' failed: 112(There is not enough space on the disk.)"),
            new SqlMessage(3013, 16, 1, "BACKUP DATABASE is terminating abnormally."));
        var partial = "/srv/backup/orch/SQL01$ORCH_Orchestrator_20261125083000_orchprep.bak";
        files.AddFile(partial, new MockFileData(new byte[100]));

        var result = await Preparation(server, files).RunAsync(null, TestContext.Current.CancellationToken);

        var taken = Result(result, BackupCheckIds.Taken);
        Assert.Equal(CheckStatus.Unmet, taken.Status);
        Assert.Contains(taken.Evidence, e => e.Value.Contains("3202", StringComparison.Ordinal));
        Assert.Contains("space", taken.Remediation, StringComparison.Ordinal);
        Assert.False(files.File.Exists(partial));
        Assert.Null(result.Summary);
    }
}
