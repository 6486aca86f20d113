using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeSqlConnector;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class DatabaseSizeCheckTests
{
    private const long MiB = 1L << 20;

    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql) =>
        await new DatabaseSizeCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "prod", Target = TargetVersion.V2022, Sql = sql is null ? null : new SqlConfig { Server = "sql01" } },
                Target = TargetVersion.V2022,
                Time = TimeProvider.System,
                Sql = sql,
            },
            TestContext.Current.CancellationToken);

    /// <summary>A database using 1000 MiB of data and 24 MiB of log.</summary>
    private static FakeSqlConnector Files() => new FakeSqlConnector().Answer("FROM sys.database_files",
        Row(("name", "Orchestrator"), ("physical_name", "D:\\Data\\Orchestrator.mdf"), ("type_desc", "ROWS"), ("size_bytes", 2000 * MiB), ("used_bytes", 1000 * MiB)),
        Row(("name", "Orchestrator_log"), ("physical_name", "L:\\Log\\Orchestrator_log.ldf"), ("type_desc", "LOG"), ("size_bytes", 512 * MiB), ("used_bytes", 24 * MiB)));

    private static FakeSqlConnector WithLastBackup(long sizeBytes, TimeSpan took) => Files().Answer("FROM msdb.dbo.backupset",
        Row(("backup_size", (decimal)sizeBytes), ("compressed_backup_size", (decimal)(sizeBytes / 4)),
            ("backup_start_date", new DateTime(2026, 11, 25, 1, 0, 0)), ("backup_finish_date", new DateTime(2026, 11, 25, 1, 0, 0) + took)));

    [Fact]
    public async Task The_size_and_an_estimate_from_the_last_backups_rate_are_met_with_evidence()
    {
        // 1000 MiB in 100 s = 10 MiB/s; 1024 MiB used → 103 s each (rounded up) for backup and VERIFYONLY.
        var outcome = await Run(WithLastBackup(1000 * MiB, TimeSpan.FromSeconds(100)));

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("uses 1 GiB", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("about 3m 26s", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("10 MiB/s", StringComparison.Ordinal) && e.Value.Contains("250 MiB compressed", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Source == "estimate" && e.Value.Contains("backup ≈ 1m 43s", StringComparison.Ordinal) && e.Value.Contains("UNCONFIRMED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_estimate_beyond_prepares_statement_timeout_is_a_warning()
    {
        // 100 MiB in 1 hour: 1024 MiB take more than 10 hours.
        var outcome = await Run(WithLastBackup(100 * MiB, TimeSpan.FromHours(1)));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("about 10h 14m", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("6h 0m", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_under_a_second_counts_as_one_second_so_the_estimate_is_never_shorter()
    {
        var outcome = await Run(WithLastBackup(2048 * MiB, TimeSpan.Zero));
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("in 1 s = 2 GiB/s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_history_or_history_denied_is_a_warning_never_met()
    {
        var none = await Run(Files().Answer("FROM msdb.dbo.backupset"));
        Assert.Equal(CheckStatus.Warning, none.Status);
        Assert.Contains("no full backup", none.Detail, StringComparison.Ordinal);

        var denied = await Run(Files().AnswerFails("FROM msdb.dbo.backupset", new SqlMessage(229, 14, 5, "The SELECT permission was denied on the object 'backupset', database 'msdb', schema 'dbo'.")));
        Assert.Equal(CheckStatus.Warning, denied.Status);
        Assert.Contains("SELECT permission was denied", denied.Detail, StringComparison.Ordinal);
        Assert.Contains("msdb.dbo.backupset", denied.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_files_it_is_an_error_without_sql_skipped_and_it_only_reads()
    {
        Assert.Equal(CheckStatus.Error, (await Run(new FakeSqlConnector().Answer("FROM sys.database_files"))).Status);
        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
        var sql = WithLastBackup(MiB, TimeSpan.FromSeconds(1));
        await Run(sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }
}
