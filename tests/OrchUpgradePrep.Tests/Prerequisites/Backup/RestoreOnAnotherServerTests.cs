using System.IO.Abstractions;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>verify: restore on another instance, with the real SqlClient against two sandbox SQL Servers: the Orchestrator
/// one and a restore server on "another machine" that shares its backup folder or not. Each unhappy path: what the report
/// says, that the backup stays verified (verifyonly) and kept, and that nothing is left on the restore server.</summary>
public sealed class RestoreOnAnotherServerTests
{
    private const string RestoreName = @"ORCH-SQL02\ORCH";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] EmptyServer = ["master", "msdb"];

    private static readonly SandboxSqlProfile RestoreProfile = new()
    {
        ServerName = RestoreName,
        MachineName = "ORCH-SQL02",
        HostsOrchestratorDatabase = false,
        OnAnotherMachine = true,
        ServiceAccount = @"CONTOSO\gmsa-sql02$",
        UsedDataBytes = 2L << 20,
        DelayPerChunk = TimeSpan.Zero,
    };

    private static Task<SandboxSqlFixture> SourceAsync(SandboxSqlProfile? profile = null) =>
        SandboxSqlFixture.StartAsync(profile ?? new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero });

    private static Task<SandboxSqlFixture> RestoreServerAsync(SandboxSqlFixture source, SandboxSqlProfile? profile = null, bool shares = true) =>
        SandboxSqlFixture.StartAsync(profile ?? RestoreProfile, sharedDirectories: shares ? [source.Engine.BackupDirectory] : []);

    private static ISqlConnector ConnectorTo(SandboxSqlFixture server, string password = SandboxSqlFixture.Password) =>
        new SqlClientConnector(server.Config() with { Database = "master" }, name => name == "FIXTURE_PW" ? password : null);

    private static BackupPreparation Preparation(SandboxSqlFixture source, ISqlConnector restoreServer, string name = RestoreName) =>
        new(source.Connector(), new FileSystem(), TimeProvider.System, new BackupPreparationOptions
        {
            EnvironmentName = "test",
            Sql = source.Config(),
            Policy = new BackupPolicy { Directory = source.Engine.BackupDirectory },
            Verify = VerifyLevel.Restore,
            RestoreServer = name,
            StatementTimeout = TimeSpan.FromMinutes(2),
        }, restoreServer);

    private static CheckResult Result(BackupPreparationResult result, string id) => result.Checks.Single(c => c.Id == id);

    /// <summary>A failed restore elsewhere never costs the backup: still verified by VERIFYONLY, its manifest written, its files in place.</summary>
    private static void AssertBackupKeptAsVerifyOnly(BackupPreparationResult result, bool restored = false)
    {
        Assert.Equal(VerifiedLevel.Verifyonly, result.Summary!.Verified);
        Assert.Null(result.Summary.RestoredOn);
        Assert.Equal(CheckStatus.Met, Result(result, BackupCheckIds.VerifyOnly).Status);
        Assert.Equal(CheckStatus.Met, Result(result, BackupCheckIds.RecentFullVerified).Status);
        Assert.All(result.Summary.Files, f => Assert.True(File.Exists(f.Path), f.Path));
        if (!restored)
        {
            // No restore, no keys to read: the test-restore row says why.
            Assert.DoesNotContain(result.Checks, c => c.Id == BackupCheckIds.RestoreKeys);
        }
    }

    [Fact]
    public async Task A_restore_on_a_server_that_shares_the_folder_is_verified_restore_names_the_server_and_leaves_nothing()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Met, restore.Status);
        Assert.Contains(RestoreName, restore.Detail, StringComparison.Ordinal);
        Assert.Equal(VerifiedLevel.Restore, result.Summary!.Verified);
        Assert.Equal(RestoreName, result.Summary.RestoredOn);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Verify && a.Target == RestoreName && a.Outcome == ActionOutcome.Done);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Verify && a.Target.StartsWith(RestoreName + ": Orchestrator_orchprep_verify_", StringComparison.Ordinal)
            && a.Outcome == ActionOutcome.Done);
        // Restored there, into its default folder, and dropped there; the source never held the copy.
        Assert.Contains(other.Server.Audit, r => r.Text.StartsWith("RESTORE DATABASE", StringComparison.Ordinal) && r.Text.Contains(other.Engine.DataDirectory, StringComparison.Ordinal));
        Assert.Contains(other.Server.Audit, r => r.Text.StartsWith("DBCC CHECKDB", StringComparison.Ordinal));
        Assert.DoesNotContain(source.Server.Audit, r => r.Text.StartsWith("RESTORE DATABASE", StringComparison.Ordinal));
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
        Assert.Empty(Directory.GetFiles(other.Engine.DataDirectory));
        // The local (non-UNC) backup folder is warned about up front, in the evidence.
        Assert.Contains(restore.Evidence, e => e.Value.Contains("is not a UNC path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_database_master_key_encrypted_by_the_source_service_master_key_is_a_warning_with_both_ways_and_no_key_is_changed()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var keys = Result(result, BackupCheckIds.RestoreKeys);
        Assert.Equal(CheckStatus.Warning, keys.Status);
        Assert.Contains("service master key", keys.Detail, StringComparison.Ordinal);
        Assert.Contains("ALTER MASTER KEY ADD ENCRYPTION BY SERVICE MASTER KEY", keys.Remediation, StringComparison.Ordinal);
        Assert.Contains("RESTORE SERVICE MASTER KEY", keys.Remediation, StringComparison.Ordinal);
        Assert.Contains(keys.Evidence, e => e.Value.Contains("##MS_DatabaseMasterKey## present", StringComparison.Ordinal));
        Assert.Contains(keys.Evidence, e => e.Value.Contains("[Orchestrator] is_master_key_encrypted_by_server = 1", StringComparison.Ordinal));
        Assert.DoesNotContain(other.Server.Audit, r => r.Text.Contains("MASTER KEY", StringComparison.OrdinalIgnoreCase) && !r.Text.StartsWith("SELECT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_without_a_master_key_needs_nothing_on_the_restore_server()
    {
        await using var source = await SourceAsync(new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero, MasterKey = SandboxMasterKey.None });
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        Assert.Equal(CheckStatus.Met, Result(result, BackupCheckIds.RestoreKeys).Status);
    }

    [Fact]
    public async Task An_unreachable_restore_server_fails_the_test_restore_and_keeps_the_backup_verified_by_verifyonly()
    {
        await using var source = await SourceAsync();
        var closed = new SqlClientConnector(source.Config() with { Server = "127.0.0.1," + ClosedPort(), Database = "master" },
            name => name == "FIXTURE_PW" ? SandboxSqlFixture.Password : null, connectTimeout: TimeSpan.FromSeconds(3));

        var result = await Preparation(source, closed).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("cannot connect", restore.Detail, StringComparison.Ordinal);
        Assert.Contains("kept", restore.Detail, StringComparison.Ordinal);
        Assert.Contains(result.Actions, a => a.Kind == ActionKind.Verify && a.Target == RestoreName && a.Outcome == ActionOutcome.NotStarted);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task A_login_refused_by_the_restore_server_names_the_login_to_create_there()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, ConnectorTo(other, password: "wrong-password")).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("18456", string.Join(" ", restore.Evidence.Select(e => e.Value)), StringComparison.Ordinal);
        Assert.Contains("Create the same login on the restore server", restore.Remediation, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", restore.Detail + string.Join(" ", restore.Evidence.Select(e => e.Value)), StringComparison.Ordinal);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task A_backup_folder_the_restore_server_cannot_see_is_unmet_naming_the_path_and_its_service_account()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source, shares: false);

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains(source.Engine.BackupDirectory, restore.Detail, StringComparison.Ordinal);
        Assert.Contains(@"CONTOSO\gmsa-sql02$", restore.Detail, StringComparison.Ordinal);
        Assert.Contains("operating system error 3(", restore.Detail, StringComparison.Ordinal);
        Assert.Contains(restore.Evidence, e => e.Value.Contains("Msg 3201", StringComparison.Ordinal));
        Assert.DoesNotContain(other.Server.Audit, r => r.Text.StartsWith("RESTORE DATABASE", StringComparison.Ordinal));
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task A_service_account_the_login_may_not_read_is_said_to_be_unnamed_not_invented()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source, RestoreProfile with { IsSysadmin = false, CanControlServer = false, HasViewServerState = false }, shares: false);

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("not named: reading it needs VIEW SERVER STATE", restore.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("gmsa-sql02", restore.Detail, StringComparison.Ordinal);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task Too_little_space_on_the_restore_server_is_unmet_with_3257_and_nothing_is_created()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source, RestoreProfile with { FreeBytes = 100L << 20 });

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("not enough free space", restore.Detail, StringComparison.Ordinal);
        Assert.Contains(restore.Evidence, e => e.Value.Contains("Msg 3257", StringComparison.Ordinal));
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task An_older_restore_server_is_unmet_with_3169_saying_a_newer_backup_never_restores_there()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source, RestoreProfile with { ProductVersion = "15.0.4375.4" });

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("older SQL Server", restore.Detail, StringComparison.Ordinal);
        Assert.Contains("16.0.4135", restore.Remediation, StringComparison.Ordinal);
        Assert.Contains(restore.Evidence, e => e.Value.Contains("Msg 3169", StringComparison.Ordinal));
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
        AssertBackupKeptAsVerifyOnly(result);
    }

    [Fact]
    public async Task Checkdb_findings_on_the_restore_server_are_unmet_and_the_copy_is_still_dropped()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, new FaultyConnector(ConnectorTo(other), "DBCC CHECKDB",
            new SqlMessage(8928, 16, 1, "Object ID 2073058421, index ID 0, partition ID 72057594038386688: Page (1:94299) could not be processed."))).RunAsync(null, Ct);

        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("DBCC CHECKDB reported findings", restore.Detail, StringComparison.Ordinal);
        Assert.Contains("consistency", restore.Remediation, StringComparison.Ordinal);
        Assert.Contains(restore.Evidence, e => e.Value.Contains("Msg 8928", StringComparison.Ordinal));
        Assert.Contains(result.Actions, a => a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal) && a.Outcome == ActionOutcome.Done);
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
        AssertBackupKeptAsVerifyOnly(result, restored: true);
    }

    [Fact]
    public async Task A_cancel_mid_restore_drops_the_copy_on_the_restore_server_and_says_cancelled()
    {
        await using var source = await SourceAsync(new SandboxSqlProfile { UsedDataBytes = 8L << 20, DelayPerChunk = TimeSpan.Zero });
        await using var other = await RestoreServerAsync(source, RestoreProfile with { DelayPerChunk = TimeSpan.FromMilliseconds(20) });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SyncProgress(p =>
        {
            if (p.Step == "restore" && p.Percent >= 20)
            {
                cancel.Cancel();
            }
        });

        var result = await Preparation(source, ConnectorTo(other)).RunAsync(progress, cancel.Token).WaitAsync(TimeSpan.FromSeconds(90), Ct);

        Assert.True(result.Cancelled);
        var restore = Result(result, BackupCheckIds.TestRestore);
        Assert.Equal(CheckStatus.Unmet, restore.Status);
        Assert.Contains("cancelled", restore.Detail, StringComparison.Ordinal);
        Assert.Contains(result.Actions, a => a.Target == RestoreName && a.Outcome == ActionOutcome.Cancelled);
        var dropped = Assert.Single(result.Actions, a => a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Done, dropped.Outcome);
        Assert.Contains("after the cancelled restore", dropped.Detail, StringComparison.Ordinal);
        Assert.NotEqual(VerifiedLevel.Restore, result.Summary!.Verified);
        Assert.Equal(EmptyServer, other.Engine.DatabaseNames);
    }

    [Fact]
    public async Task A_scratch_database_that_cannot_be_dropped_is_named_with_its_server_and_the_exact_statement()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, new FaultyConnector(ConnectorTo(other), "DROP DATABASE",
            new SqlMessage(262, 14, 1, "DROP DATABASE permission denied in database 'master'."))).RunAsync(null, Ct);

        var failed = Assert.Single(result.Actions, a => a.Target.Contains("_orchprep_verify_", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Failed, failed.Outcome);
        var copy = failed.Target[(RestoreName.Length + 2)..];
        Assert.Contains($"drop it by hand on {RestoreName}: DROP DATABASE [{copy}]", failed.Detail, StringComparison.Ordinal);
        // The copy is really still there, as the action says.
        Assert.Contains(copy, other.Engine.DatabaseNames);
    }

    [Theory]
    [InlineData(@"\\backup01\orch", true)]
    [InlineData("//backup01/orch", true)]
    [InlineData(@"D:\Backup", false)]
    [InlineData("/var/opt/mssql/backup", false)]
    public void Only_a_share_path_counts_as_reachable_from_another_server(string path, bool unc)
    {
        Assert.Equal(unc, RestoreOnAnotherServer.IsUnc(path));
    }

    [Fact]
    public async Task A_local_folder_is_not_warned_about_when_the_restore_server_is_the_source_by_name()
    {
        await using var source = await SourceAsync();
        await using var other = await RestoreServerAsync(source);

        var result = await Preparation(source, ConnectorTo(other), name: "orch-sql01").RunAsync(null, Ct);

        Assert.DoesNotContain(Result(result, BackupCheckIds.TestRestore).Evidence, e => e.Value.Contains("is not a UNC path", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_server_named_without_its_connector_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new BackupPreparation(new NeverConnector(), new FileSystem(), TimeProvider.System,
            new BackupPreparationOptions { EnvironmentName = "t", Sql = new SqlConfig { Server = "s" }, Policy = new BackupPolicy(), Verify = VerifyLevel.Restore, RestoreServer = RestoreName }));
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class NeverConnector : ISqlConnector
    {
        public string Description => "never";

        public Task<ISqlSession> OpenAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
    }

    /// <summary>The real connector, with one kind of statement answered by an error as SQL Server sends it.</summary>
    private sealed class FaultyConnector(ISqlConnector inner, string prefix, SqlMessage error) : ISqlConnector
    {
        public string Description => inner.Description;

        public async Task<ISqlSession> OpenAsync(CancellationToken cancellationToken) => new Session(await inner.OpenAsync(cancellationToken), prefix, error);

        private sealed class Session(ISqlSession inner, string prefix, SqlMessage error) : ISqlSession
        {
            public Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
                inner.QueryAsync(sql, parameters, cancellationToken);

            public Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken) =>
                sql.StartsWith(prefix, StringComparison.Ordinal)
                    ? Task.FromException<SqlExecution>(new SqlSessionException($"statement failed: Msg {error.Number}: {error.Text}", [error]))
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
