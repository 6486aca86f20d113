using System.Collections.Concurrent;
using System.IO.Abstractions;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>Issue #16: verify progress stayed at 0 % because VERIFYONLY was sent without STATS, and SQL Server (and
/// now the sandbox) sends "N percent processed." only WITH STATS. Real SqlClient, sandbox server, real files.</summary>
public sealed class BackupPreparationProgressTests
{
    [Fact]
    public async Task Verify_reports_percent_progress_up_to_100_like_the_backup()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero });
        var seen = new ConcurrentQueue<BackupProgress>();
        var preparation = new BackupPreparation(sql.Connector(), new FileSystem(), TimeProvider.System, new BackupPreparationOptions
        {
            EnvironmentName = "sandbox",
            Sql = sql.Config(),
            Policy = new BackupPolicy { Directory = sql.Engine.BackupDirectory },
            StatsPercent = 25,
        });

        var result = await preparation.RunAsync(new Collect(seen), TestContext.Current.CancellationToken);

        Assert.Equal(VerifiedLevel.Verifyonly, result.Summary!.Verified);
        Assert.Equal([0, 25, 50, 75, 100], seen.Where(p => p.Step == "verify" && p.Percent is not null).Select(p => p.Percent!.Value));
        Assert.Equal([0, 25, 50, 75, 100], seen.Where(p => p.Step == "backup" && p.Percent is not null).Select(p => p.Percent!.Value));
    }

    private sealed class Collect(ConcurrentQueue<BackupProgress> seen) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => seen.Enqueue(value);
    }
}
