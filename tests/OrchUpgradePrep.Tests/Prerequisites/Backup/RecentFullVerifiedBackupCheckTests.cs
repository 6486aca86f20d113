using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class RecentFullVerifiedBackupCheckTests
{
    private static async Task<CheckOutcome> Run(FakeSqlConnector? sql, TimeSpan? maxAge = null, MockFileSystem? files = null) =>
        await new RecentFullVerifiedBackupCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig
                {
                    Name = "prod",
                    Target = TargetVersion.V2022,
                    Sql = sql is null ? null : new SqlConfig { Server = "sql01" },
                    Policies = new PoliciesConfig { Backup = new BackupPolicy { MaxAge = maxAge ?? TimeSpan.FromHours(24), Directory = files is null ? null : Folder } },
                },
                Target = TargetVersion.V2022,
                Time = TimeProvider.System,
                Sql = sql,
                FileSystem = files,
            },
            TestContext.Current.CancellationToken);

    private const string Folder = "/srv/backup/orch";
    private const string OrchPrepBak = "SQL01_Orchestrator_20261125050000_orchprep.bak";

    private static FakeSqlConnector History(long ageMinutes, bool checksums = true, bool damaged = false, string device = @"\\backup01\orch\x.bak") =>
        new FakeSqlConnector().Answer(
            "FROM msdb.dbo.backupset",
            FakeSqlConnector.Row(
                ("backup_set_id", 42L), ("backup_finish_date", new DateTime(2026, 11, 25, 5, 0, 0)), ("age_minutes", ageMinutes),
                ("is_copy_only", true), ("has_backup_checksums", checksums), ("is_damaged", damaged),
                ("first_lsn", 41000000012300001m), ("last_lsn", 41000000012500001m), ("backup_size", 123456789m),
                ("description", "orchprep"), ("physical_device_name", device)));

    [Fact]
    public async Task A_recent_checksummed_full_backup_is_met_with_its_history_as_evidence()
    {
        var outcome = await Run(History(90));
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("backup_set_id 42", outcome.Evidence.Single().Value, StringComparison.Ordinal);
        Assert.Contains(@"\\backup01\orch\x.bak", outcome.Evidence.Single().Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000, true, false, "older than 24h")]
    [InlineData(10, false, false, "without CHECKSUM")]
    [InlineData(10, true, true, "damaged")]
    public async Task Old_unchecksummed_or_damaged_backups_are_unmet(long ageMinutes, bool checksums, bool damaged, string detail)
    {
        var outcome = await Run(History(ageMinutes, checksums, damaged));
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("orchprep prepare", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_history_is_unmet_and_max_age_comes_from_the_policy()
    {
        Assert.Equal(CheckStatus.Unmet, (await Run(new FakeSqlConnector().Answer("FROM msdb.dbo.backupset"))).Status);
        Assert.Equal(CheckStatus.Met, (await Run(History(2000), TimeSpan.FromDays(2))).Status);
    }

    [Fact]
    public async Task Without_sql_it_is_skipped_and_it_only_reads()
    {
        Assert.Equal(CheckStatus.Skipped, (await Run(null)).Status);
        var sql = History(5);
        await Run(sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("verifyonly", false, CheckStatus.Met)]
    [InlineData("none", false, CheckStatus.Unmet)]
    [InlineData(null, false, CheckStatus.Unmet)]
    [InlineData(null, true, CheckStatus.Unmet)]
    public async Task An_orchprep_backup_counts_only_with_a_manifest_saying_verified_and_no_failed_twin(string? verified, bool failedTwin, CheckStatus expected)
    {
        var files = new MockFileSystem();
        files.AddDirectory(Folder);
        if (verified is not null)
        {
            files.AddFile($"{Folder}/{OrchPrepBak}", new MockFileData(new byte[10]));
            files.AddFile($"{Folder}/{OrchPrepBak}.orchprep.json", new MockFileData($$"""{ "tool": "orchprep", "backup": { "verified": "{{verified}}", "files": [] } }"""));
        }

        if (failedTwin)
        {
            files.AddFile($"{Folder}/{OrchPrepBak}.failed", new MockFileData(new byte[10]));
        }

        var outcome = await Run(History(90, device: @"D:\Backup\" + OrchPrepBak), files: files);

        Assert.Equal(expected, outcome.Status);
        if (failedTwin)
        {
            Assert.Contains("failed orchprep's verification", outcome.Detail, StringComparison.Ordinal);
        }
    }
}
