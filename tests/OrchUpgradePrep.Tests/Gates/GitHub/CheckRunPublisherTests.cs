using OrchUpgradePrep.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

public sealed class CheckRunPublisherTests
{
    [Fact]
    public void ASummaryOverGitHubsLimit_IsCutWithANote()
    {
        var summary = CheckRunPublisher.Summary(new string('x', 100_000));

        Assert.Equal(CheckRunPublisher.MaxSummaryChars, summary.Length);
        Assert.Contains("it was cut here", summary);
    }

    [Fact]
    public void ASummaryWithinTheLimit_IsKept() => Assert.Equal("# ok", CheckRunPublisher.Summary("# ok"));

    [Fact]
    public void TheCut_NeverSplitsASurrogatePair()
    {
        var summary = CheckRunPublisher.Summary(string.Concat(Enumerable.Repeat("😀", 40_000)));

        Assert.True(summary.Length <= CheckRunPublisher.MaxSummaryChars);
        var cut = summary.IndexOf("\n\n---", StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(summary[cut - 1]));
    }
}
