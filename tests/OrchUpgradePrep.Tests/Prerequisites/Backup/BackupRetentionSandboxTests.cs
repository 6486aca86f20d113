using System.IO.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>
/// Issue #16 part 1 in-process, with the real SqlClient against the sandbox's SQL Server and real files: a backup
/// interrupted mid-write (its fragment left because this runner may not delete on the share) and a backup damaged
/// before VERIFYONLY sit among verified sets; later runs with keep 2 and keep 1 keep every verified set they should,
/// report the leftovers and never count them.
/// </summary>
public sealed class BackupRetentionSandboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private static SandboxSqlProfile Profile => new() { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.FromMilliseconds(5) };

    private Task<BackupPreparationResult> Prepare(SandboxSqlFixture sql, IFileSystem files, int keep, bool removeUnverified = false,
        IProgress<BackupProgress>? progress = null, CancellationTokenSource? cancel = null)
    {
        // A new stamp per run, as a later prepare would have.
        _time.Advance(TimeSpan.FromMinutes(10));
        var preparation = new BackupPreparation(sql.Connector(), files, _time, new BackupPreparationOptions
        {
            EnvironmentName = "sandbox",
            Sql = sql.Config(),
            Policy = new BackupPolicy { Directory = sql.Engine.BackupDirectory, Keep = keep, RemoveUnverified = removeUnverified },
        });
        return preparation.RunAsync(progress, cancel?.Token ?? Ct);
    }

    private static string Verified(BackupPreparationResult result)
    {
        Assert.Equal(VerifiedLevel.Verifyonly, result.Summary!.Verified);
        return result.Summary.Files.Single().Path;
    }

    private static bool SetExists(string bak) =>
        File.Exists(bak) && File.Exists(bak + ".sha256") && File.Exists(BackupManifest.PathFor(bak));

    [Fact]
    public async Task Killed_and_failed_backups_never_count_and_every_verified_set_to_keep_is_kept()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(Profile);
        var files = new FileSystem();
        var a = Verified(await Prepare(sql, files, keep: 2));
        var b = Verified(await Prepare(sql, files, keep: 2));

        // Interrupted at 20 % on a share this runner may read but not delete in: the fragment stays under orchprep's name.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var interrupted = await Prepare(sql, new NoDeleteFileSystem(), keep: 2,
            progress: new SyncProgress(p => { if (p is { Step: "backup", Percent: >= 20 }) { cancel.Cancel(); } }), cancel: cancel);
        Assert.True(interrupted.Cancelled);
        var fragment = Assert.Single(Directory.GetFiles(sql.Engine.BackupDirectory, "*_orchprep.bak"), f => f != a && f != b);
        Assert.True(new FileInfo(fragment).Length < new FileInfo(a).Length, "the interrupted backup is whole");

        // Damaged between BACKUP and VERIFYONLY: verification fails and the file is marked so it never passes for good.
        var failedRun = await Prepare(sql, files, keep: 2, progress: new SyncProgress(p =>
        {
            if (p is { Step: "verify", Percent: 0 })
            {
                Damage(Directory.GetFiles(sql.Engine.BackupDirectory, "*_orchprep.bak").Max(StringComparer.Ordinal)!);
            }
        }));
        Assert.Equal(VerifiedLevel.None, failedRun.Summary!.Verified);
        var failed = Assert.Single(Directory.GetFiles(sql.Engine.BackupDirectory, "*_orchprep.bak" + BackupFileNames.FailedExtension));
        Assert.False(File.Exists(failed[..^BackupFileNames.FailedExtension.Length] + ".sha256"));
        Assert.False(File.Exists(BackupManifest.PathFor(failed[..^BackupFileNames.FailedExtension.Length])));

        // keep 2, leftovers kept: no verified set goes while they remain, and they are reported, not counted.
        var run = await Prepare(sql, files, keep: 2);
        var c = Verified(run);
        Assert.True(SetExists(a) && SetExists(b) && SetExists(c));
        Assert.True(File.Exists(fragment) && File.Exists(failed));
        var leftovers = Assert.Single(run.Actions, x => x.Detail.StartsWith("unverified leftovers:", StringComparison.Ordinal));
        Assert.Contains(Path.GetFileNameWithoutExtension(fragment) + " (no manifest", leftovers.Detail, StringComparison.Ordinal);
        Assert.Contains("(failed verification)", leftovers.Detail, StringComparison.Ordinal);

        // keep 1, leftovers kept: still nothing verified removed.
        var d = Verified(await Prepare(sql, files, keep: 1));
        Assert.True(SetExists(a) && SetExists(b) && SetExists(c) && SetExists(d));

        // keep 2 with removeUnverified: the leftovers go, then the newest two verified sets are kept.
        var e = Verified(await Prepare(sql, files, keep: 2, removeUnverified: true));
        Assert.False(File.Exists(fragment) || File.Exists(failed));
        Assert.True(SetExists(d) && SetExists(e));
        Assert.False(File.Exists(a) || File.Exists(b) || File.Exists(c));

        // keep 1: only the newest verified set.
        var f = Verified(await Prepare(sql, files, keep: 1, removeUnverified: true));
        Assert.True(SetExists(f));
        Assert.Equal([f], Directory.GetFiles(sql.Engine.BackupDirectory, "*_orchprep.bak*").Where(p => p.EndsWith(".bak", StringComparison.Ordinal)));
    }

    /// <summary>Storage damage after the write: bytes in the middle of the data change.</summary>
    private static void Damage(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Position = stream.Length / 2;
        stream.Write([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0xFF, 0x13, 0x37]);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts later), so the fault lands before the next statement.</summary>
    private sealed class SyncProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }

    /// <summary>A share this runner can read and write but not delete in.</summary>
    private sealed class NoDeleteFileSystem : FileSystem
    {
        public NoDeleteFileSystem() => File = new NoDeleteFile(this);

        public override IFile File { get; }

        private sealed class NoDeleteFile(IFileSystem fileSystem) : System.IO.Abstractions.FileWrapper(fileSystem)
        {
            public override void Delete(string path) => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }
    }
}
