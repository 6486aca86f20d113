using System.IO.Abstractions;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>The test restore (--verify restore) against the sandbox with the real SqlClient: a RESTORE that fails or is
/// cancelled midway leaves its copy RESTORING on the server, and prepare drops it, or says it could not.</summary>
public sealed class BackupVerificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] ServerDatabases = ["master", "msdb", "Orchestrator"];

    private static BackupPreparation Preparation(SandboxSqlFixture sql, ISqlConnector connector) =>
        new(connector, new FileSystem(), TimeProvider.System, new BackupPreparationOptions
        {
            EnvironmentName = "test",
            Sql = sql.Config(),
            Policy = new BackupPolicy { Directory = sql.Engine.BackupDirectory },
            Verify = VerifyLevel.Restore,
            StatementTimeout = TimeSpan.FromMinutes(2),
        });

    private static CheckResult TestRestore(BackupPreparationResult result) => result.Checks.Single(c => c.Id == BackupCheckIds.TestRestore);

    [Fact]
    public async Task A_good_test_restore_drops_its_copy()
    {
        await using var sql = await SandboxSqlFixture.StartAsync();

        var result = await Preparation(sql, sql.Connector()).RunAsync(null, Ct);

        Assert.Equal(CheckStatus.Met, TestRestore(result).Status);
        Assert.Equal(VerifiedLevel.Restore, result.Summary!.Verified);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Verify && a.Outcome == ActionOutcome.Done && a.Detail == "test-restore copy dropped");
        Assert.Equal(ServerDatabases, sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_restore_that_fails_midway_leaves_no_database_and_says_its_copy_was_dropped()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, Fault = SandboxSqlFault.FailRestoreMidway });

        var result = await Preparation(sql, sql.Connector()).RunAsync(null, Ct);

        var restore = TestRestore(result);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains(restore.Evidence, e => e.Value.Contains("3203", StringComparison.Ordinal));
        var dropped = Assert.Single(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Done, dropped.Outcome);
        Assert.Equal($"test-restore copy [{dropped.Target}] (RESTORING) dropped after the failed restore", dropped.Detail);
        Assert.Equal(ServerDatabases, sql.Engine.DatabaseNames);
        Assert.Empty(Directory.GetFiles(sql.Engine.DataDirectory, "*_orchprep_verify_*"));
        Assert.Contains(sql.Server.Audit, r => r.Text.StartsWith("DROP DATABASE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_test_restore_cancelled_midway_drops_its_copy_too()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(20) });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SyncProgress(p =>
        {
            if (p.Step == "restore" && p.Percent >= 20)
            {
                cancel.Cancel();
            }
        });

        var result = await Preparation(sql, sql.Connector()).RunAsync(progress, cancel.Token).WaitAsync(TimeSpan.FromSeconds(90), Ct);

        Assert.NotEqual(CheckStatus.Met, TestRestore(result).Status);
        var dropped = Assert.Single(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Done, dropped.Outcome);
        Assert.Contains("dropped after the cancelled restore", dropped.Detail, StringComparison.Ordinal);
        Assert.Equal(ServerDatabases, sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_copy_that_cannot_be_dropped_after_a_failed_restore_is_reported_with_the_error()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, Fault = SandboxSqlFault.FailRestoreMidway });

        var result = await Preparation(sql, new NoDropConnector(sql.Connector())).RunAsync(null, Ct);

        Assert.Equal(CheckStatus.Unmet, TestRestore(result).Status);
        var failed = Assert.Single(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Failed, failed.Outcome);
        Assert.Contains("could not be dropped", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("Msg 262: DROP DATABASE permission denied", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("drop it by hand", failed.Detail, StringComparison.Ordinal);
        // The copy is still there, as the action says: nothing hides it.
        Assert.Contains(failed.Target, sql.Engine.DatabaseNames);
    }

    /// <summary>The real connector, with DROP DATABASE refused as SQL Server refuses a login without the permission.</summary>
    private sealed class NoDropConnector(ISqlConnector inner) : ISqlConnector
    {
        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken) => new Session(await inner.OpenAsync(cancellationToken));

        private sealed class Session(ISqlSession inner) : ISqlSession
        {
            public Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
                inner.QueryAsync(sql, parameters, cancellationToken);

            public Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken) =>
                sql.StartsWith("DROP DATABASE", StringComparison.Ordinal)
                    ? Task.FromException<SqlExecution>(new SqlSessionException("statement failed: Msg 262: DROP DATABASE permission denied in database 'master'.",
                        [new SqlMessage(262, 14, 1, "DROP DATABASE permission denied in database 'master'.")]))
                    : inner.ExecuteAsync(sql, timeout, onMessage, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; would post it later).</summary>
    private sealed class SyncProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
