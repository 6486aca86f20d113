using System.IO.Abstractions;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>The test restore (--verify restore) on the Orchestrator database's own instance, against the sandbox with the
/// real SqlClient: a RESTORE that fails or is cancelled midway leaves its copy RESTORING on the server, and prepare drops
/// it — on one fresh session when the first broke — or says it could not, naming the exact DROP statement. (The same
/// sequence, TestRestore, on another server: RestoreOnAnotherServerTests.)</summary>
public sealed class TestRestoreTests
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
        Assert.EndsWith("the copy was dropped.", TestRestore(result).Detail, StringComparison.Ordinal);
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

        Assert.Equal(CheckStatus.Unmet, TestRestore(result).Status);
        Assert.Contains("was cancelled during RESTORE/CHECKDB", TestRestore(result).Detail, StringComparison.Ordinal);
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
        Assert.Contains($"drop it by hand: DROP DATABASE [{failed.Target}]", failed.Detail, StringComparison.Ordinal);
        // The copy is still there, as the action says: nothing hides it.
        Assert.Contains(failed.Target, sql.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_copy_left_by_a_restore_that_broke_the_connection_is_dropped_on_a_fresh_session()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, Fault = SandboxSqlFault.FailRestoreMidway });
        var connector = new BrokenAfterRestoreConnector(sql.Connector());

        var result = await Preparation(sql, connector).RunAsync(null, Ct);

        Assert.Equal(CheckStatus.Unmet, TestRestore(result).Status);
        var dropped = Assert.Single(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Done, dropped.Outcome);
        Assert.Equal($"test-restore copy [{dropped.Target}] (RESTORING) dropped after the failed restore", dropped.Detail);
        // The session of the backup broke with the RESTORE; the drop ran on a second one, and nothing is left.
        Assert.Equal(2, connector.Opened);
        Assert.Equal(ServerDatabases, sql.Engine.DatabaseNames);
        Assert.Empty(Directory.GetFiles(sql.Engine.DataDirectory, "*_orchprep_verify_*"));
    }

    [Fact]
    public async Task A_good_restore_whose_copy_cannot_be_dropped_names_the_exact_drop_statement_and_is_not_retried()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero });
        var connector = new NoDropConnector(sql.Connector());

        var result = await Preparation(sql, connector).RunAsync(null, Ct);

        var failed = Assert.Single(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Failed, failed.Outcome);
        Assert.Contains("Msg 262: DROP DATABASE permission denied", failed.Detail, StringComparison.Ordinal);
        Assert.EndsWith($"it is still there (RESTORING or ONLINE) and uses disk — drop it by hand: DROP DATABASE [{failed.Target}]", failed.Detail, StringComparison.Ordinal);
        // The server refused: a fresh session would be refused too, so none is opened for the drop.
        Assert.Equal(1, connector.Opened);
        Assert.Contains(failed.Target, sql.Engine.DatabaseNames);
        // The restore proved the backup, but the verdict never says "dropped" before the drop ran: a warning naming the statement.
        var verdict = TestRestore(result);
        Assert.Equal(CheckStatus.Warning, verdict.Status);
        Assert.Contains("DBCC CHECKDB found nothing, but the copy could not be dropped", verdict.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("was dropped", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains($"DROP DATABASE [{failed.Target}]", verdict.Remediation, StringComparison.Ordinal);
    }

    /// <summary>The real connector; its first session breaks (as a dropped connection does) once a RESTORE has failed on it.</summary>
    private sealed class BrokenAfterRestoreConnector(ISqlConnector inner) : ISqlConnector
    {
        public int Opened { get; private set; }

        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken)
        {
            Opened++;
            return new Session(await inner.OpenAsync(cancellationToken), breaks: Opened == 1);
        }

        private sealed class Session(ISqlSession inner, bool breaks) : ISqlSession
        {
            private bool _broken;

            public Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
            {
                ThrowOnceBroken();
                return inner.QueryAsync(sql, parameters, cancellationToken);
            }

            public async Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken)
            {
                ThrowOnceBroken();
                try
                {
                    return await inner.ExecuteAsync(sql, timeout, onMessage, cancellationToken);
                }
                catch (SqlSessionException) when (breaks && sql.StartsWith("RESTORE DATABASE", StringComparison.Ordinal))
                {
                    _broken = true;
                    throw;
                }
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();

            /// <summary>The next call after the break fails as a closed connection does (the drop's); later ones, of the
            /// steps after verification, go through again.</summary>
            private void ThrowOnceBroken()
            {
                if (_broken)
                {
                    _broken = false;
                    throw new InvalidOperationException("Invalid operation. The connection is closed.");
                }
            }
        }
    }

    /// <summary>The real connector, with DROP DATABASE refused as SQL Server refuses a login without the permission.</summary>
    private sealed class NoDropConnector(ISqlConnector inner) : ISqlConnector
    {
        public int Opened { get; private set; }

        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken)
        {
            Opened++;
            return new Session(await inner.OpenAsync(cancellationToken));
        }

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
