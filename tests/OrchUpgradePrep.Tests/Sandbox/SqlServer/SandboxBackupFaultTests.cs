using System.IO.Abstractions;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>Faults and modes against the sandbox SQL Server with the real SqlClient: check mode writes nothing,
/// cancel and timeout stop a backup without leaving a good-looking one, a full disk fails with 3202.</summary>
public sealed class SandboxBackupFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static BackupPreparation Preparation(SandboxSqlFixture sql, ISqlConnector connector, TimeSpan? timeout = null) =>
        new(connector, new FileSystem(), TimeProvider.System, new BackupPreparationOptions
        {
            EnvironmentName = "test",
            Sql = sql.Config(),
            Policy = new BackupPolicy { Directory = sql.Engine.BackupDirectory },
            StatementTimeout = timeout ?? TimeSpan.FromMinutes(5),
        });

    [Fact]
    public async Task Check_mode_sends_no_write_statement()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Target = TargetVersion.V2022,
            Sql = sql.Config(),
            Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = sql.Engine.BackupDirectory } },
        };
        var runner = new CheckRunner(new CheckRunnerOptions { MaxParallelism = 4, CheckTimeout = TimeSpan.FromMinutes(1) }, new OrchUpgradePrep.Tests.Engine.ScriptedHostFactsSource(), TimeProvider.System, sql.Connector(), new FileSystem());

        var run = await runner.RunAsync(CheckPlanner.Plan(CheckCatalog.CreateAll(), environment, CheckSelection.All), environment, TargetVersion.V2022, null, Ct);

        Assert.Contains(run.Results, r => r.Id == BackupCheckIds.Permissions && r.Status == CheckStatus.Met);
        Assert.True(sql.Server.Audit.Count >= 5, $"only {sql.Server.Audit.Count} statements reached the server");
        Assert.Empty(SandboxSqlAudit.Writes(sql.Server.Audit).Select(r => r.Text));
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory));
    }

    [Fact]
    public async Task The_audit_classifier_sees_prepares_writes()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var result = await Preparation(sql, sql.Connector()).RunAsync(null, Ct);

        Assert.Equal(VerifiedLevel.Verifyonly, result.Summary!.Verified);
        var writes = SandboxSqlAudit.Writes(sql.Server.Audit).Select(r => r.Text).ToList();
        Assert.Contains(writes, w => w.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.DoesNotContain(writes, w => w.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_mid_backup_sends_an_attention_and_reports_no_usable_backup()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(20) });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SyncProgress(p =>
        {
            if (p.Step == "backup" && p.Percent >= 20)
            {
                cancel.Cancel();
            }
        });

        var result = await Preparation(sql, sql.Connector()).RunAsync(progress, cancel.Token);

        Assert.True(result.Cancelled);
        Assert.Null(result.Summary);
        var taken = result.Checks.Single(c => c.Id == BackupCheckIds.Taken);
        Assert.Equal(CheckStatus.Unmet, taken.Status);
        Assert.Contains("NOT usable", taken.Detail, StringComparison.Ordinal);
        Assert.Equal(0, sql.Engine.HistoryCountOf(sql.Engine.Profile.DatabaseName)); // prepare's probe database may leave its own row
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory, "*.bak"));
    }

    [Fact]
    public async Task Cancel_from_another_thread_mid_backup_stops_it_at_the_next_progress_message()
    {
        // Ctrl+C cancels from the signal thread, not from SqlClient's message callback (docs/reliability.md).
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(20) });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var lastPercent = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.Step == "backup")
            {
                lastPercent = Math.Max(lastPercent, p.Percent ?? 0);
                if (p.Percent >= 20)
                {
                    _ = Task.Run(() => cancel.Cancel());
                }
            }
        });

        var result = await Preparation(sql, sql.Connector()).RunAsync(progress, cancel.Token).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var taken = result.Checks.Single(c => c.Id == BackupCheckIds.Taken);
        Assert.Equal(CheckStatus.Unmet, taken.Status);
        Assert.Contains("NOT usable", taken.Detail, StringComparison.Ordinal);
        Assert.True(lastPercent < 100, $"the backup ran to {lastPercent} %");
        Assert.Equal(0, sql.Engine.HistoryCountOf(sql.Engine.Profile.DatabaseName)); // prepare's probe database may leave its own row
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory, "*.bak"));
    }

    [Fact]
    public async Task A_statement_timeout_stops_the_backup_and_says_so()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(30) });

        var result = await Preparation(sql, sql.Connector(), timeout: TimeSpan.FromSeconds(1)).RunAsync(null, Ct);

        var taken = result.Checks.Single(c => c.Id == BackupCheckIds.Taken);
        Assert.Equal(CheckStatus.Unmet, taken.Status);
        Assert.Contains(taken.Evidence, e => e.Value.Contains("Msg -2", StringComparison.Ordinal));
        Assert.Equal(0, sql.Engine.HistoryCountOf(sql.Engine.Profile.DatabaseName)); // prepare's probe database may leave its own row
        Assert.False(result.Cancelled);
    }

    [Fact]
    public async Task A_dropped_connection_leaves_no_history_and_no_file()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, Fault = SandboxSqlFault.DropConnectionMidBackup });

        var result = await Preparation(sql, sql.Connector()).RunAsync(null, Ct);

        Assert.Equal(CheckStatus.Unmet, result.Checks.Single(c => c.Id == BackupCheckIds.Taken).Status);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Backup && a.Outcome == ActionOutcome.Failed && a.Detail.Contains("Removed the incomplete file", StringComparison.Ordinal));
        Assert.Equal(0, sql.Engine.HistoryCountOf(sql.Engine.Profile.DatabaseName)); // prepare's probe database may leave its own row
        Assert.Empty(Directory.GetFiles(sql.Engine.BackupDirectory, "*.bak"));
    }

    [Fact]
    public async Task A_full_disk_during_backup_is_3202_then_3013()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 4L << 20, FreeBytes = 1L << 20, DelayPerChunk = TimeSpan.Zero });
        await using var session = await sql.Connector().OpenAsync(Ct);

        var full = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(
            new BackupStatement { Database = "Orchestrator", Files = [Path.Combine(sql.Engine.BackupDirectory, "full.bak")], Name = "x", Description = "x" }.ToSql(), TimeSpan.FromMinutes(1), null, Ct));

        Assert.Equal(3202, full.Number);
        Assert.Contains(full.Messages, m => m.Number == 3013);
        Assert.Equal(0, sql.Engine.HistoryCountOf(sql.Engine.Profile.DatabaseName)); // prepare's probe database may leave its own row
    }

    [Fact]
    public async Task A_restore_that_fails_midway_leaves_its_database_restoring_in_sys_databases_until_dropped()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, Fault = SandboxSqlFault.FailRestoreMidway });
        await using var session = await sql.Connector().OpenAsync(Ct);
        var file = Path.Combine(sql.Engine.BackupDirectory, "r.bak");
        await session.ExecuteAsync(new BackupStatement { Database = "Orchestrator", Files = [file], Name = "r", Description = "d" }.ToSql(), TimeSpan.FromMinutes(1), null, Ct);
        await session.ExecuteAsync(BackupQueries.VerifyOnly([file], 10), TimeSpan.FromMinutes(1), null, Ct);
        var moves = new[] { ("Orchestrator", Path.Combine(sql.Engine.DataDirectory, "half.mdf")), ("Orchestrator_log", Path.Combine(sql.Engine.DataDirectory, "half.ldf")) };

        var failed = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.RestoreAs("Half", [file], moves, 10), TimeSpan.FromMinutes(1), null, Ct));

        Assert.Equal(3203, failed.Number);
        Assert.Contains(failed.Messages, m => m.Number == 3211 && m.Text == "40 percent processed.");
        Assert.Contains(failed.Messages, m => m.Number == 3013 && m.Text == "RESTORE DATABASE is terminating abnormally.");
        var row = Assert.Single(await session.QueryAsync(BackupQueries.Database, new Dictionary<string, object?> { ["@database"] = "Half" }, Ct));
        Assert.Equal("RESTORING", row.String("state_desc"));
        Assert.True(File.Exists(moves[0].Item2));
        var check = await Assert.ThrowsAsync<SqlSessionException>(() => session.ExecuteAsync(BackupQueries.CheckDb("Half"), TimeSpan.FromMinutes(1), null, Ct));
        Assert.Equal(927, check.Number);

        await session.ExecuteAsync(BackupQueries.DropDatabase("Half"), TimeSpan.FromMinutes(1), null, Ct);

        Assert.Empty(await session.QueryAsync(BackupQueries.Database, new Dictionary<string, object?> { ["@database"] = "Half" }, Ct));
        Assert.False(File.Exists(moves[0].Item2));
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; would post it later).</summary>
    private sealed class SyncProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
