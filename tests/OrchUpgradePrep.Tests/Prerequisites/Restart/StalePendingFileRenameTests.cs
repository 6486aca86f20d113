using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Restart;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

/// <summary>A pending rename whose source file is gone is stale: reported apart as a warning, never as "not pending"
/// when the host cannot tell.</summary>
public sealed class StalePendingFileRenameTests
{
    private const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";
    private const string Gone = @"C:\Program Files\Contoso\agent.dll.old";
    private const string Present = @"C:\Program Files\Contoso\agent.dll.new";

    private static FakeHostFacts With(HashSet<string>? existing, params string[] strings)
    {
        var host = Host();
        host.ExistingFiles = existing;
        host.FakeRegistry.Key(SessionManager, MultiSz("PendingFileRenameOperations", strings));
        return host;
    }

    [Fact]
    public async Task Only_stale_entries_are_a_warning_with_each_marked()
    {
        var outcome = await Run(new PendingFileRenameOperationsCheck(), With(new(StringComparer.OrdinalIgnoreCase), $@"\??\{Gone}", string.Empty));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("1 stale (source file gone)", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\PendingFileRenameOperations entry 1", "(stale: the source file no longer exists)");
    }

    [Fact]
    public async Task A_real_entry_beside_a_stale_one_stays_unmet_and_counts_the_stale_apart()
    {
        var outcome = await Run(
            new PendingFileRenameOperationsCheck(),
            With(new(StringComparer.OrdinalIgnoreCase) { Present }, $@"\??\{Gone}", string.Empty, $@"\??\{Present}", @"!\??\C:\Program Files\Contoso\agent.dll"));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("1 of 2 entries not known-benign and not stale; 1 stale (source file gone)", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\PendingFileRenameOperations entry 2", "(not known-benign)");
        Assert.DoesNotContain(outcome.Evidence, e => e.Source.EndsWith("entry 2", StringComparison.Ordinal) && e.Value.Contains("stale", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_host_cannot_tell_the_entry_stays_pending_and_says_why()
    {
        var outcome = await Run(new PendingFileRenameOperationsCheck(), With(null, $@"\??\{Gone}", string.Empty));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("whether the sources still exist is unknown", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(@"\??\C:\Temp\a.tmp", @"C:\Temp\a.tmp")]
    [InlineData(@"C:\Temp\a.tmp", @"C:\Temp\a.tmp")]
    [InlineData(@"\??\UNC\server\share\a.tmp", null)]
    [InlineData(@"\Device\HarddiskVolume2\a.tmp", null)]
    public void Only_drive_paths_are_judged(string source, string? local) =>
        Assert.Equal(local, new PendingFileRename(1, source, string.Empty).LocalSource);
}
