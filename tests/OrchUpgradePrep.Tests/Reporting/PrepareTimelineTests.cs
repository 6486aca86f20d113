using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class PrepareTimelineTests
{
    private static CheckResult Step(string id, CheckStatus status, long ms) => new()
    {
        Id = id,
        Prerequisite = id.StartsWith("runbooks", StringComparison.Ordinal) ? Prerequisite.Runbooks : Prerequisite.Backup,
        Host = "prod",
        Status = status,
        Title = id,
        Detail = "d",
        HelpUri = "docs/checks/" + id + ".md",
        DurationMs = ms,
    };

    private static Report Prepared(RunMode mode, params CheckResult[] checks) => SampleReport.Create() with { Mode = mode, Checks = checks, Backup = null };

    [Fact]
    public void Phases_FollowPrepareOrder_SumTheirStepsAndTakeTheWorstStatus()
    {
        var report = Prepared(RunMode.Prepare,
            Step("runbooks.drained", CheckStatus.Met, 42_000),
            Step("runbooks.starts-blocked", CheckStatus.Met, 3_000),
            Step("backup.permissions", CheckStatus.Met, 200),
            Step("backup.free-space", CheckStatus.Met, 300),
            Step("backup.taken", CheckStatus.Met, 120_000),
            Step("backup.verifyonly", CheckStatus.Met, 20_000),
            Step("backup.sha256", CheckStatus.Unmet, 5_000),
            Step("backup.test-restore", CheckStatus.Skipped, 0),
            Step("restart.cbs-reboot-pending", CheckStatus.Met, 10));

        var phases = PrepareTimeline.Of(report);

        Assert.Equal(["Drain runbooks", "Block new starts", "Back up", "Verify", "Save keys"], phases.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromMilliseconds(120_500), phases[2].Duration);
        Assert.Equal(CheckStatus.Unmet, phases[3].Status);
        Assert.Equal(TimeSpan.FromSeconds(25), phases[3].Duration);
        // No verdict on the keys: the step did not run, and says so.
        Assert.Equal((CheckStatus.Skipped, "not run"), (phases[4].Status, phases[4].Reason));
    }

    [Fact]
    public void A_backup_prepare_skipped_is_skipped_with_its_reason_though_the_preflight_and_key_checks_ran_as_checks()
    {
        // The drain timed out: prepare took no backup, and the ordinary checks then judged permissions, free space and the key.
        const string reason = "not started: runbooks did not drain (runbooks.drained); the upgrade cannot go ahead";
        var report = Prepared(RunMode.Prepare,
            Step("runbooks.drained", CheckStatus.Unmet, 600_000),
            Step("runbooks.starts-blocked", CheckStatus.Skipped, 0),
            Step("backup.permissions", CheckStatus.Met, 20),
            Step("backup.free-space", CheckStatus.Met, 30),
            Step("backup.service-master-key", CheckStatus.Met, 10)) with
        {
            Actions = [new ActionRecord(ActionKind.Backup, "prod", ActionOutcome.Skipped, reason)],
        };

        var phases = PrepareTimeline.Of(report);

        Assert.Equal(CheckStatus.Unmet, phases[0].Status);
        Assert.All(phases.Skip(2), p => Assert.Equal((CheckStatus.Skipped, reason), (p.Status, p.Reason)));
        var markdown = Render(report);
        Assert.Contains($"| Back up | ⏭️ skipped: {MarkdownText.Escape(reason)} | — |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Back up | ✅", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Save keys | ✅", markdown, StringComparison.Ordinal);
        // The chart draws only what ran.
        Assert.DoesNotContain("Back up", PrepareTimeline.Mermaid(report)!, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_prepare_recorded_as_not_run_carry_that_reason()
    {
        var report = Prepared(RunMode.Prepare,
            Step("runbooks.drained", CheckStatus.Met, 1_000),
            Step("runbooks.starts-blocked", CheckStatus.Met, 10),
            Step("backup.taken", CheckStatus.Unmet, 5),
            Step("backup.verifyonly", CheckStatus.Skipped, 0) with { Detail = "not run: no backup was taken" },
            Step("backup.service-master-key", CheckStatus.Skipped, 0) with { Detail = "not run: no backup was taken" });

        var phases = PrepareTimeline.Of(report);

        Assert.Equal(CheckStatus.Unmet, phases[2].Status);
        Assert.Equal((CheckStatus.Skipped, "not run: no backup was taken"), (phases[3].Status, phases[3].Reason));
        Assert.Equal((CheckStatus.Skipped, "not run: no backup was taken"), (phases[4].Status, phases[4].Reason));
    }

    [Fact]
    public void Mermaid_IsAGanttWithOneBarPerPhaseChainedOneAfterAnother()
    {
        var report = Prepared(RunMode.Prepare,
            Step("runbooks.drained", CheckStatus.Met, 42_000),
            Step("runbooks.starts-blocked", CheckStatus.Met, 0),
            Step("backup.taken", CheckStatus.Error, 65_000));

        var lines = PrepareTimeline.Mermaid(report)!.Split('\n');

        Assert.Equal("```mermaid", lines[0]);
        Assert.Equal("gantt", lines[1]);
        Assert.Equal("    title prepare steps, 1 min 47 s in all", lines[2]);
        Assert.Contains("    Drain runbooks 42 s met :done, drain, 0, 42000ms", lines);
        // An instant step still gets a visible bar.
        Assert.Contains("    Block new starts 0 ms met :done, block, after drain, 1ms", lines);
        Assert.Contains("    Back up 1 min 05 s error :crit, backup, after block, 65000ms", lines);
        Assert.Equal("```", lines[^1]);
    }

    [Fact]
    public void CheckMode_HasNoTimeline_EvenWithBackupChecks()
    {
        var report = Prepared(RunMode.Check, Step("backup.permissions", CheckStatus.Met, 10));

        Assert.Empty(PrepareTimeline.Of(report));
        Assert.Null(PrepareTimeline.Mermaid(report));
        Assert.DoesNotContain("```mermaid", Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void MarkdownReport_ShowsTheTimelineBeforeTheBackupAndTheDetail()
    {
        var report = Prepared(RunMode.Prepare, Step("runbooks.drained", CheckStatus.Met, 1_500)) with
        {
            Backup = new BackupSummary { Files = [new BackupFile("/b/orch.bak", 3L << 20, new string('a', 64))], Verified = VerifiedLevel.Verifyonly },
        };

        var markdown = Render(report);

        var timeline = markdown.IndexOf("## Timeline", StringComparison.Ordinal);
        Assert.True(timeline > markdown.IndexOf("## Unmet checks and errors", StringComparison.Ordinal));
        Assert.True(timeline < markdown.IndexOf("## Backup", StringComparison.Ordinal));
        Assert.True(markdown.IndexOf("## Backup", StringComparison.Ordinal) < markdown.IndexOf("## All checks", StringComparison.Ordinal));
        Assert.Contains("| Drain runbooks | ✅ met | 1.5 s |", markdown, StringComparison.Ordinal);
        Assert.Contains("| /b/orch.bak | 3.0 MiB | 3145728 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Verified: verifyonly (RESTORE VERIFYONLY", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(250, "250 ms")]
    [InlineData(1_500, "1.5 s")]
    [InlineData(65_000, "1 min 05 s")]
    [InlineData(3_720_000, "1 h 02 min")]
    public void Format_ReadsLikeAPersonWritesIt(long ms, string expected) =>
        Assert.Equal(expected, PrepareTimeline.Format(TimeSpan.FromMilliseconds(ms)));

    private static string Render(Report report)
    {
        using var writer = new StringWriter();
        new MarkdownReportWriter().Write(report, writer);
        return writer.ToString();
    }
}
