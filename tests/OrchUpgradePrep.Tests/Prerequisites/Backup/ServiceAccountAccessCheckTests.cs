using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeSqlConnector;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>Check mode (read-only evidence) and prepare's probe (<see cref="ServiceAccountProbe"/>).</summary>
public sealed class ServiceAccountAccessCheckTests
{
    private const string Folder = "/srv/backup/orch";
    private const string Account = @"CONTOSO\gmsa-sql01$";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql, MockFileSystem? files = null, string? directory = Folder) =>
        await new ServiceAccountAccessCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig
                {
                    Name = "prod",
                    Target = TargetVersion.V2022,
                    Sql = sql is null ? null : new SqlConfig { Server = "sql01" },
                    Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = directory, MaxAge = TimeSpan.FromHours(24) } },
                },
                Target = TargetVersion.V2022,
                Time = TimeProvider.System,
                Sql = sql,
                FileSystem = files ?? new MockFileSystem(),
            },
            Ct);

    private static FakeSqlConnector Server(params SqlRow[] devices) => new FakeSqlConnector()
        .Answer("FROM sys.dm_server_services",
            Row(("servicename", "SQL Server Agent (MSSQLSERVER)"), ("service_account", @"NT Service\SQLSERVERAGENT")),
            Row(("servicename", "SQL Server (MSSQLSERVER)"), ("service_account", Account)))
        .Answer("FROM msdb.dbo.backupset", devices);

    [Fact]
    public async Task A_recent_msdb_backup_into_the_folder_is_met_naming_the_service_account_not_the_agents()
    {
        var outcome = await Run(Server(Row(("backup_finish_date", DateTime.UtcNow.AddHours(-3)), ("physical_device_name", Folder + "/nightly.bak"))));

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(Account, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith(Folder + "/nightly.bak written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recent_orchprep_file_in_the_folder_is_met_and_the_runners_own_write_access_is_never_asked()
    {
        var files = new MockFileSystem();
        files.AddFile($"{Folder}/SQL01_20261125050000_orchprep.smk", new MockFileData(new byte[64]) { LastWriteTime = DateTimeOffset.UtcNow.AddHours(-1) });
        var outcome = await Run(Server(), files);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("_orchprep.smk", StringComparison.Ordinal) && e.Value.StartsWith("written by SQL Server", StringComparison.Ordinal));
        Assert.Single(files.AllFiles); // nothing written by check mode
    }

    [Fact]
    public async Task No_proof_old_proof_or_another_folder_is_a_warning_saying_prepare_probes_never_met()
    {
        var none = await Run(Server(Row(("backup_finish_date", DateTime.UtcNow.AddHours(-1)), ("physical_device_name", @"\\backup01\sql\nightly.bak"))));
        Assert.Equal(CheckStatus.Warning, none.Status);
        Assert.Contains(Account, none.Detail, StringComparison.Ordinal);
        Assert.Contains(Folder, none.Detail, StringComparison.Ordinal);
        Assert.Contains("probe", none.Detail, StringComparison.Ordinal);

        var old = await Run(Server(Row(("backup_finish_date", DateTime.UtcNow.AddDays(-30)), ("physical_device_name", Folder + "/old.bak"))));
        Assert.Equal(CheckStatus.Warning, old.Status);
    }

    [Fact]
    public async Task Without_view_server_state_the_account_is_unknown_and_msdb_denied_is_noted()
    {
        var sql = new FakeSqlConnector()
            .AnswerFails("FROM sys.dm_server_services",
                new SqlMessage(300, 14, 1, "VIEW SERVER STATE permission was denied on object 'server', database 'master'."),
                new SqlMessage(297, 16, 1, "The user does not have permission to perform this action."))
            .AnswerFails("FROM msdb.dbo.backupset", new SqlMessage(229, 14, 5, "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'."));
        var outcome = await Run(sql);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("not readable", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source == "unknown" && e.Value.Contains("SELECT permission was denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_sql_it_is_skipped_without_a_folder_a_warning_and_it_only_reads()
    {
        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
        Assert.Equal(CheckStatus.Warning, (await Run(Server(), directory: null)).Status);
        var sql = Server();
        await Run(sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_probe_against_a_folder_the_service_may_not_write_is_unmet_with_3201_naming_account_and_folder_and_cleans_up()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { DelayPerChunk = TimeSpan.Zero, ServiceAccount = Account, ServiceAccountCanWriteBackups = false });
        var folder = sql.Engine.BackupDirectory;
        var actions = new List<ActionRecord>();
        await using var session = await sql.Connector().OpenAsync(Ct);

        var outcome = await new ServiceAccountProbe(session, new System.IO.Abstractions.FileSystem(), "sandbox", TimeSpan.FromMinutes(1))
            .RunAsync("ORCH-SQL01", folder, DateTimeOffset.UtcNow, actions, Ct);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains($"service account {Account} cannot write the backup folder {folder}", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("Msg 3201, Level 16", StringComparison.Ordinal) && e.Value.Contains("Operating system error 5(Access is denied.)", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("Msg 3013, Level 16", StringComparison.Ordinal));
        Assert.Contains(Account, outcome.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain(sql.Engine.DatabaseNames, n => n.StartsWith("orchprep_probe_", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.probe"));
    }

    [Fact]
    public async Task The_probe_where_the_service_may_write_is_met_and_leaves_no_database_and_no_file()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { DelayPerChunk = TimeSpan.Zero });
        var folder = sql.Engine.BackupDirectory;
        var actions = new List<ActionRecord>();
        await using var session = await sql.Connector().OpenAsync(Ct);

        var outcome = await new ServiceAccountProbe(session, new System.IO.Abstractions.FileSystem(), "sandbox", TimeSpan.FromMinutes(1))
            .RunAsync("ORCH-SQL01", folder, DateTimeOffset.UtcNow, actions, Ct);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(@"NT Service\MSSQLSERVER wrote and read back", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(sql.Engine.DatabaseNames, n => n.StartsWith("orchprep_probe_", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.probe"));
        Assert.Contains(actions, a => a.Kind == ActionKind.Verify && a.Outcome == ActionOutcome.Done);
    }

    [Fact]
    public async Task A_probe_that_cannot_create_its_database_is_a_warning_and_runs_nothing_else()
    {
        var sql = new FakeSqlConnector()
            .Answer("FROM sys.dm_server_services", Row(("servicename", "SQL Server (MSSQLSERVER)"), ("service_account", Account)))
            .ExecuteFails("CREATE DATABASE", new SqlMessage(262, 14, 1, "CREATE DATABASE permission denied in database 'master'."));
        await using var session = await sql.OpenAsync(Ct);
        var actions = new List<ActionRecord>();

        var outcome = await new ServiceAccountProbe(session, new MockFileSystem(), "fake", TimeSpan.FromMinutes(1)).RunAsync("SQL01", Folder, DateTimeOffset.UtcNow, actions, Ct);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("could not start", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(sql.Received, q => q.StartsWith("BACKUP", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Outcome == ActionOutcome.NotStarted);
    }
}
