using System.Globalization;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Renders report.md, the page a person reads first (pipeline summary tab, step summary): outcome and
/// counts, then what is unmet or failed with its remediation, then notes, then every check with evidence.
/// </summary>
public sealed class MarkdownReportWriter
{
    /// <summary>Writes the report as GitHub-flavoured Markdown with LF line ends.</summary>
    public void Write(Report report, TextWriter writer)
    {
        var lines = new List<string>();
        var counts = StatusCounts.Of(report.Checks);
        var hasWarnings = counts.Warning > 0;

        lines.Add(
            $"# {StatusWords.OutcomeMarkdown(report.Outcome, hasWarnings)}: orchprep {WireNames.Of(report.Mode)}, " +
            $"environment {MarkdownText.Escape(report.Environment)}, target {MarkdownText.Escape(report.Target)}");
        lines.Add(string.Empty);
        lines.Add($"**{Capitalize(StatusWords.OutcomeSentence(report.Outcome, hasWarnings))}.**");
        lines.Add(string.Empty);
        lines.Add("| | |");
        lines.Add("|---|---|");
        lines.Add($"| Environment | {MarkdownText.Escape(report.Environment)} |");
        lines.Add($"| Target | {MarkdownText.Escape(report.Target)} |");
        if (report.TargetLevel is { } targetLevel)
        {
            lines.Add($"| Target update level | {MarkdownText.Escape(targetLevel)} |");
        }

        lines.Add($"| Mode | {WireNames.Of(report.Mode)} |");
        lines.Add($"| Outcome | {WireNames.Of(report.Outcome)} |");
        lines.Add($"| Started | {Timestamp(report.StartedAt)} |");
        lines.Add($"| Finished | {Timestamp(report.FinishedAt)} |");
        lines.Add($"| Tool | {MarkdownText.Escape(report.Tool.Name)} {MarkdownText.Escape(report.Tool.Version)} |");
        lines.Add(string.Empty);
        lines.Add("| ✅ met | ❌ unmet | ⚠️ warning | ⏭️ skipped | ⚠️ error | total |");
        lines.Add("|---:|---:|---:|---:|---:|---:|");
        lines.Add($"| {counts.Met} | {counts.Unmet} | {counts.Warning} | {counts.Skipped} | {counts.Error} | {counts.Total} |");

        // What a reviewer needs first: what is wrong, what prepare did and how long it took, the backup; then the detail.
        AddProblems(lines, report);
        AddTimeline(lines, report);
        AddBackup(lines, report);
        AddNotes(lines, report);
        AddActions(lines, report);
        AddAllChecks(lines, report);

        foreach (var line in lines)
        {
            writer.Write(line);
            writer.Write('\n');
        }
    }

    private static void AddProblems(List<string> lines, Report report)
    {
        var problems = ReportGrouping.Sorted(report.Checks.Where(c => c.Status is CheckStatus.Unmet or CheckStatus.Error));
        lines.Add(string.Empty);
        lines.Add("## Unmet checks and errors");
        lines.Add(string.Empty);
        if (problems.Count == 0)
        {
            lines.Add("None.");
            return;
        }

        lines.Add("| Status | Host | Check | Detail | Remediation |");
        lines.Add("|---|---|---|---|---|");
        foreach (var check in problems)
        {
            lines.Add(
                $"| {StatusWords.Markdown(check.Status)} | {MarkdownText.Escape(check.Host)} | {MarkdownText.Code(check.Id)} " +
                $"| {MarkdownText.Escape(check.Detail)} | {MarkdownText.Escape(check.Remediation)} |");
        }
    }

    private static void AddNotes(List<string> lines, Report report)
    {
        if (report.Notes.Count == 0)
        {
            return;
        }

        lines.Add(string.Empty);
        lines.Add("## Notes");
        lines.Add(string.Empty);
        lines.AddRange(report.Notes.Select(n => $"- {MarkdownText.Escape(n)}"));
    }

    private static void AddActions(List<string> lines, Report report)
    {
        if (report.Actions.Count == 0)
        {
            return;
        }

        lines.Add(string.Empty);
        lines.Add("## Actions");
        lines.Add(string.Empty);
        lines.Add("| Kind | Target | Outcome | Detail |");
        lines.Add("|---|---|---|---|");
        lines.AddRange(report.Actions.Select(a =>
            $"| {WireNames.Of(a.Kind)} | {MarkdownText.Escape(a.Target)} | {WireNames.Of(a.Outcome)} | {MarkdownText.Escape(a.Detail)} |"));
    }

    private static void AddTimeline(List<string> lines, Report report)
    {
        var phases = PrepareTimeline.Of(report);
        if (phases.Count == 0)
        {
            return;
        }

        lines.Add(string.Empty);
        lines.Add("## Timeline");
        lines.Add(string.Empty);
        if (PrepareTimeline.Mermaid(report) is { } chart)
        {
            lines.Add(chart);
            lines.Add(string.Empty);
        }

        // Skipped is skipped, with prepare's own reason: a step that did not run never reads as done.
        lines.Add("| Step | Status | Took |");
        lines.Add("|---|---|---:|");
        lines.AddRange(phases.Select(p => p.Status == CheckStatus.Skipped
            ? $"| {p.Name} | {StatusWords.Markdown(p.Status)}: {MarkdownText.Escape(p.Reason)} | — |"
            : $"| {p.Name} | {StatusWords.Markdown(p.Status)} | {PrepareTimeline.Format(p.Duration)} |"));
    }

    private static void AddBackup(List<string> lines, Report report)
    {
        if (report.Backup is not { } backup)
        {
            return;
        }

        lines.Add(string.Empty);
        lines.Add("## Backup");
        lines.Add(string.Empty);
        lines.Add($"Verified: {MarkdownText.Escape(VerifiedHow(backup.Verified))}{(backup.RestoredOn is { } on ? " on " + MarkdownText.Escape(on) : string.Empty)} · copy-only: {YesNo(backup.CopyOnly)} · checksum: {YesNo(backup.Checksum)} · compressed: {YesNo(backup.Compressed)}");
        lines.Add($"LSN range: {MarkdownText.Escape(backup.FirstLsn ?? "-")} … {MarkdownText.Escape(backup.LastLsn ?? "-")}");
        lines.Add(string.Empty);
        lines.Add("| File | Size | Bytes | SHA-256 |");
        lines.Add("|---|---:|---:|---|");
        lines.AddRange(backup.Files.Select(f =>
            $"| {MarkdownText.Escape(f.Path)} | {Size(f.Bytes)} | {f.Bytes.ToString(CultureInfo.InvariantCulture)} | {MarkdownText.Escape(f.Sha256)} |"));
    }

    private static void AddAllChecks(List<string> lines, Report report)
    {
        lines.Add(string.Empty);
        lines.Add("## All checks");
        foreach (var (prerequisite, hosts) in ReportGrouping.ByPrerequisiteAndHost(report.Checks))
        {
            lines.Add(string.Empty);
            lines.Add($"### {WireNames.Of(prerequisite)}");
            foreach (var (host, checks) in hosts)
            {
                lines.Add(string.Empty);
                lines.Add($"#### {MarkdownText.Escape(host)}");
                lines.Add(string.Empty);
                foreach (var check in checks)
                {
                    lines.Add($"- {StatusWords.Markdown(check.Status)} {MarkdownText.Code(check.Id)}: {MarkdownText.Escape(check.Title)}. {MarkdownText.Escape(check.Detail)}");
                    lines.AddRange(check.Evidence.Select(e => $"  - {MarkdownText.Escape(e.Source)}: {MarkdownText.Escape(e.Value)}"));
                    if (!string.IsNullOrEmpty(check.Remediation))
                    {
                        lines.Add($"  - Remediation: {MarkdownText.Escape(check.Remediation)}");
                    }

                    lines.Add($"  - Help: {MarkdownText.Escape(check.HelpUri)}");
                }
            }
        }
    }

    private static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // Anything short of a level verification proved reads as not verified.
    private static string VerifiedHow(VerifiedLevel level) => level switch
    {
        VerifiedLevel.Verifyonly => "verifyonly (RESTORE VERIFYONLY with checksums, header and msdb cross-checked)",
        VerifiedLevel.Restore => "restore (restored as a copy, DBCC CHECKDB clean, copy dropped)",
        _ => "none — NOT verified, do not rely on it",
    };

    private static string Size(long bytes) =>
        bytes >= 1L << 30 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : bytes >= 1L << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB");

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
