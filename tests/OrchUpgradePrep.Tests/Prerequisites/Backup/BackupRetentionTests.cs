using System.IO.Abstractions.TestingHelpers;
using System.Security.Cryptography;
using System.Text.Json;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

/// <summary>Retention counts only what orchprep verified: a manifest saying so and files matching its sizes and
/// SHA-256s. Fragments and failed sets are reported apart and never cost a verified set its place.</summary>
public sealed class BackupRetentionTests
{
    private const string Directory = "/srv/backup/orch";
    private const string Server = @"SQL01\ORCH";
    private const string Database = "Orchestrator";
    private const string Prefix = "SQL01$ORCH_Orchestrator_";

    private readonly MockFileSystem _files = new();
    private readonly List<ActionRecord> _actions = [];

    private static string PathOf(string stamp, string tail = "") => $"{Directory}/{Prefix}{stamp}_orchprep{tail}.bak";

    /// <summary>A set as prepare leaves it after verification: .bak(s), .sha256 and the manifest beside the first file.</summary>
    private string[] Verified(string stamp, int stripes = 1, string level = "verifyonly", int bytes = 4096)
    {
        var paths = stripes == 1 ? [PathOf(stamp)] : Enumerable.Range(1, stripes).Select(i => PathOf(stamp, $"_{i}of{stripes}")).ToArray();
        var recorded = new List<object>();
        foreach (var path in paths)
        {
            var content = RandomNumberGenerator.GetBytes(bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(content));
            _files.AddFile(path, new MockFileData(content));
            _files.AddFile(path + ".sha256", new MockFileData($"{sha}  {Path.GetFileName(path)}\n"));
            // The manifest records the path as SQL Server sees it; retention matches by file name.
            recorded.Add(new { path = @"D:\Backup\" + Path.GetFileName(path), bytes = (long)content.Length, sha256 = sha });
        }

        _files.AddFile(BackupManifest.PathFor(paths[0]), new MockFileData(JsonSerializer.Serialize(new { tool = "orchprep", backup = new { files = recorded, verified = level } })));
        return paths;
    }

    /// <summary>What kill -9 leaves: the .bak under orchprep's name, shorter than a whole backup, nothing beside it.</summary>
    private string Fragment(string stamp)
    {
        var path = PathOf(stamp);
        _files.AddFile(path, new MockFileData(new byte[670]));
        return path;
    }

    /// <summary>What prepare leaves after a failed VERIFYONLY: the file renamed to .bak.failed, no .sha256, no manifest.</summary>
    private string Failed(string stamp)
    {
        var path = PathOf(stamp) + BackupFileNames.FailedExtension;
        _files.AddFile(path, new MockFileData(new byte[4096]));
        return path;
    }

    private Task Apply(int keep, bool removeUnverified = false) =>
        new BackupRetention(_files).ApplyAsync(Directory, Server, Database, keep, removeUnverified, _actions, TestContext.Current.CancellationToken);

    private bool Exists(string path) => _files.File.Exists(path);

    private bool SetExists(string path) => Exists(path) && Exists(path + ".sha256") && Exists(BackupManifest.PathFor(path));

    [Fact]
    public async Task Keep_two_of_three_verified_sets_removes_the_oldest_with_its_side_files()
    {
        var oldest = Verified("20261120080000")[0];
        var middle = Verified("20261122080000")[0];
        var newest = Verified("20261125080000")[0];

        await Apply(2);

        Assert.True(SetExists(newest));
        Assert.True(SetExists(middle));
        Assert.False(Exists(oldest));
        Assert.False(Exists(oldest + ".sha256"));
        Assert.False(Exists(BackupManifest.PathFor(oldest)));
        Assert.Contains(_actions, a => a.Outcome == ActionOutcome.Done && a.Detail.Contains("kept the newest 2 of 3 verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keep_one_keeps_only_the_newest_verified_set_and_all_its_stripes()
    {
        var old = Verified("20261120080000", stripes: 2);
        var newest = Verified("20261125080000", stripes: 2);

        await Apply(1);

        Assert.All(newest, p => Assert.True(Exists(p)));
        Assert.True(Exists(BackupManifest.PathFor(newest[0])));
        Assert.All(old, p => Assert.False(Exists(p)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_fragment_newest_is_not_counted_and_no_verified_set_is_removed_while_it_is_kept(int keep)
    {
        var older = Verified("20261120080000")[0];
        var newer = Verified("20261122080000")[0];
        var fragment = Fragment("20261125080000");

        await Apply(keep);

        Assert.True(SetExists(older));
        Assert.True(SetExists(newer));
        Assert.True(Exists(fragment));
        var leftover = Assert.Single(_actions, a => a.Detail.StartsWith("unverified leftovers:", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Kept, leftover.Outcome);
        Assert.Contains(Prefix + "20261125080000_orchprep (no manifest", leftover.Detail, StringComparison.Ordinal);
        Assert.Contains("removeUnverified", leftover.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_actions, a => a.Detail.Contains("kept the newest", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_fragment_newest_with_remove_unverified_goes_and_keep_counts_verified_sets_only(int keep)
    {
        var older = Verified("20261120080000")[0];
        var newer = Verified("20261122080000")[0];
        var fragment = Fragment("20261125080000");

        await Apply(keep, removeUnverified: true);

        Assert.False(Exists(fragment));
        Assert.True(SetExists(newer));
        Assert.Equal(keep == 2, SetExists(older));
        Assert.Contains(_actions, a => a.Outcome == ActionOutcome.Removed && a.Detail.StartsWith("unverified leftovers:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_verify_newest_never_counts_and_the_only_verified_set_stays()
    {
        var only = Verified("20261120080000")[0];
        var failed = Failed("20261125080000");

        await Apply(1, removeUnverified: true);

        Assert.True(SetExists(only));
        Assert.False(Exists(failed));
        Assert.Contains(_actions, a => a.Detail.Contains("failed verification", StringComparison.Ordinal));
        Assert.Contains(_actions, a => a.Outcome == ActionOutcome.Done && a.Detail.Contains("1 verified orchprep backup set(s), keep 1: nothing removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_manifest_saying_verified_none_is_not_a_verified_set()
    {
        var good = Verified("20261120080000")[0];
        var none = Verified("20261125080000", level: "none")[0];

        await Apply(1);

        Assert.True(SetExists(good));
        Assert.True(SetExists(none));
        Assert.Contains(_actions, a => a.Detail.Contains("manifest says verified: none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_set_whose_file_no_longer_has_its_recorded_sha256_is_unverified()
    {
        var older = Verified("20261120080000")[0];
        var changed = Verified("20261125080000")[0];
        var bytes = _files.File.ReadAllBytes(changed);
        bytes[100] ^= 0xFF;
        _files.File.WriteAllBytes(changed, bytes);

        await Apply(1);

        Assert.True(SetExists(older));
        Assert.True(Exists(changed));
        Assert.Contains(_actions, a => a.Detail.Contains("SHA-256 of " + Path.GetFileName(changed) + " differs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_set_whose_file_was_truncated_is_unverified_by_its_size()
    {
        var older = Verified("20261120080000")[0];
        var truncated = Verified("20261125080000")[0];
        _files.File.WriteAllBytes(truncated, new byte[670]);

        await Apply(1);

        Assert.True(SetExists(older));
        Assert.Contains(_actions, a => a.Detail.Contains("is 670 bytes, the manifest says 4096", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_manifest_makes_a_set_unverified_even_with_its_sha256_beside_it()
    {
        var older = Verified("20261120080000")[0];
        var noManifest = Verified("20261125080000")[0];
        _files.File.Delete(BackupManifest.PathFor(noManifest));

        await Apply(1, removeUnverified: true);

        Assert.True(SetExists(older));
        Assert.False(Exists(noManifest));
        Assert.False(Exists(noManifest + ".sha256"));
    }

    [Fact]
    public async Task A_missing_stripe_makes_a_set_unverified()
    {
        var older = Verified("20261120080000")[0];
        var striped = Verified("20261125080000", stripes: 2);
        _files.File.Delete(striped[1]);

        await Apply(1);

        Assert.True(SetExists(older));
        Assert.Contains(_actions, a => a.Detail.Contains("files differ from the manifest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_files_with_orchprep_names_of_this_server_and_database_are_touched()
    {
        Verified("20261120080000");
        Verified("20261125080000");
        var foreign = $"{Directory}/{Prefix}20261101080000_full.bak";
        var otherDb = $"{Directory}/SQL01$ORCH_Other_20261101080000_orchprep.bak";
        _files.AddFile(foreign, new MockFileData(new byte[10]));
        _files.AddFile(otherDb, new MockFileData(new byte[10]));

        await Apply(1, removeUnverified: true);

        Assert.True(Exists(foreign));
        Assert.True(Exists(otherDb));
    }

    [Fact]
    public async Task Keep_zero_keeps_everything_and_an_unreachable_folder_is_skipped()
    {
        var old = Verified("20261120080000")[0];
        Verified("20261125080000");
        await Apply(0, removeUnverified: true);
        Assert.True(SetExists(old));
        Assert.Empty(_actions);

        await new BackupRetention(new MockFileSystem()).ApplyAsync(Directory, Server, Database, 1, false, _actions, TestContext.Current.CancellationToken);
        Assert.Equal(ActionOutcome.Skipped, Assert.Single(_actions).Outcome);
    }
}
