using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Tests.Fakes;
using OrchUpgradePrep.Tests.Engine;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>Runs the check through the real <see cref="CheckRunner"/>, so "error" is what the report gets.</summary>
public sealed class ServiceMasterKeyBackupCheckTests
{
    private const string Directory = "/srv/backup/orch";
    private const string KeyFile = Directory + "/SQL01$ORCH_20261125080000_orchprep.smk";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly MockFileSystem _files = new();

    public ServiceMasterKeyBackupCheckTests() => _files.AddDirectory(Directory);

    private static FakeSqlConnector Sql() =>
        new FakeSqlConnector().Answer("SERVERPROPERTY('ServerName')", FakeSqlConnector.Row(("ServerName", @"SQL01\ORCH")));

    private void Key(string path, int bytes)
    {
        _files.AddFile(path, new MockFileData(new byte[bytes]));
        _files.File.SetLastWriteTimeUtc(path, Now.UtcDateTime.AddHours(-1));
    }

    private async Task<CheckResult> Run(FakeSqlConnector sql)
    {
        var environment = new EnvironmentConfig
        {
            Name = "prod",
            Target = TargetVersion.V2022,
            Sql = new SqlConfig { Server = "sql01" },
            Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = Directory } },
        };
        var plan = CheckPlanner.Plan([new ServiceMasterKeyBackupCheck()], environment, CheckSelection.All);
        var runner = new CheckRunner(new CheckRunnerOptions(), new ScriptedHostFactsSource(), new FakeTimeProvider(Now), sql, _files);
        var run = await runner.RunAsync(plan, environment, TargetVersion.V2022, null, TestContext.Current.CancellationToken);
        return Assert.Single(run.Results);
    }

    [Fact]
    public async Task A_recent_key_file_of_this_instance_is_met()
    {
        Key(KeyFile, 88);

        var result = await Run(Sql());

        Assert.Equal(CheckStatus.Met, result.Status);
        Assert.Contains(result.Evidence, e => e.Source.EndsWith("SQL01$ORCH_20261125080000_orchprep.smk", StringComparison.Ordinal) && e.Value.Contains("88 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sql_server_unreachable_is_an_error_even_with_a_key_file_in_the_folder()
    {
        Key(KeyFile, 88);
        var sql = Sql();
        sql.FailOpen = new SqlSessionException("A network-related or instance-specific error occurred (error: 40)", []);

        var result = await Run(sql);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("SQL Server", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_server_unreachable_is_an_error_not_unmet_when_the_folder_is_empty()
    {
        var sql = Sql();
        sql.FailOpen = new SqlSessionException("Login failed", []);

        Assert.Equal(CheckStatus.Error, (await Run(sql)).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ServiceMasterKeyBackupCheck.MinimumKeyFileBytes - 1)]
    public async Task An_empty_or_truncated_key_file_is_not_a_key_backup(int bytes)
    {
        Key(KeyFile, bytes);

        var result = await Run(Sql());

        Assert.Equal(CheckStatus.Unmet, result.Status);
        Assert.Contains("empty or truncated", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_of_another_instance_does_not_count()
    {
        Key(Directory + "/SQL02_20261125080000_orchprep.smk", 88);

        var result = await Run(Sql());

        Assert.Equal(CheckStatus.Unmet, result.Status);
    }
}
