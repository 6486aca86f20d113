using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

public sealed class DeploymentCommentTests
{
    private static Report ReportWith(params (string Id, CheckStatus Status, string Host)[] checks) =>
        Reporting.SampleReport.Create() with { Checks = [.. checks.Select(c => CountingCheck.Check(c.Id, c.Status, c.Host))] };

    [Fact]
    public void FewChecks_AreAllNamed_UnmetBeforeErrors_WithNoMore()
    {
        var report = ReportWith(("backup.verifyonly", CheckStatus.Error, "sql01"), ("restart.cbs-reboot-pending", CheckStatus.Unmet, "ms01"), ("requirements.os", CheckStatus.Met, "ms01"));

        var comment = DeploymentComment.Compose("orchprep rejected it.", report, null, "Report: https://x.example/1");

        Assert.Equal("orchprep rejected it. Not met: restart.cbs-reboot-pending on ms01 (unmet); backup.verifyonly on sql01 (error). Report: https://x.example/1", comment);
    }

    [Fact]
    public void EveryShape_StaysWithinTheLimit_AndKeepsHeadAndTail()
    {
        for (var count = 0; count < 40; count += 7)
        {
            foreach (var host in new[] { "h", new string('h', 50), new string('h', 2000) })
            {
                var report = ReportWith([.. Enumerable.Range(0, count).Select(i => ($"restart.signal-{i:000}", CheckStatus.Unmet, host))]);

                var comment = DeploymentComment.Compose("orchprep rejected it.", report, new string('f', 5000), "Report: https://x.example/1");

                Assert.InRange(comment.Length, 1, DeploymentReviewClient.MaxCommentChars);
                Assert.StartsWith("orchprep rejected it.", comment, StringComparison.Ordinal);
                Assert.EndsWith("Report: https://x.example/1", comment, StringComparison.Ordinal);
                if (count > DeploymentComment.ListedChecks)
                {
                    Assert.Matches("(and [0-9]+ more|[0-9]+ check\\(s\\), see the report)\\.", comment);
                }
            }
        }
    }

    [Fact]
    public void ACut_NeverSplitsASurrogatePair()
    {
        var text = new string('a', 9) + "😀" + "tail";

        Assert.Equal(new string('a', 9) + "…", DeploymentComment.Cut(text, 11));
        Assert.Equal(new string('a', 9) + "😀…", DeploymentComment.Cut(text, 12));
    }
}
