using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class VerdictSummaryTests
{
    [Fact]
    public void Every_line_starts_with_the_prefix_and_holds_the_verdict_problems_actions_and_backup()
    {
        var report = SampleReport.Create() with
        {
            Outcome = RunOutcome.Unmet,
            Actions = [new ActionRecord(ActionKind.Backup, "/b", ActionOutcome.Done, "two\nlines\n::error::injected")],
            Backup = new BackupSummary { Files = [new BackupFile("/b/orch.bak", 42, new string('a', 64))], Verified = VerifiedLevel.Verifyonly, FirstLsn = "1", LastLsn = "2" },
            Notes = ["a note"],
        };
        using var writer = new StringWriter { NewLine = "\n" };

        VerdictSummary.Write(report, writer);

        var lines = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.StartsWith("orchprep: ", l, StringComparison.Ordinal));
        Assert.StartsWith("orchprep: verdict: UNMET: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("orchprep: action: backup done: /b — two | lines | ::error::injected", lines);
        Assert.Contains("orchprep: backup: verified verifyonly, LSN 1–2", lines);
        Assert.Contains($"orchprep: backup file: /b/orch.bak 42 bytes sha256 {new string('a', 64)}", lines);
        Assert.Contains("orchprep: note: a note", lines);
        foreach (var problem in report.Checks.Where(c => c.Status is CheckStatus.Unmet or CheckStatus.Error))
        {
            Assert.Contains(lines, l => l.Contains(problem.Id, StringComparison.Ordinal));
        }
    }
}
