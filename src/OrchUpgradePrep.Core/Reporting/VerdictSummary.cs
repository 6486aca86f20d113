using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// The verdict, every action and the backup (paths, sizes, SHA-256) as plain "orchprep: " lines: what stderr carries when
/// the report files could not be written, so the log alone is a full record of what the run did. Each line starts with
/// orchprep's prefix and holds no control characters, so no value can become a pipeline command.
/// </summary>
public static class VerdictSummary
{
    public static void Write(Report report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var counts = StatusCounts.Of(report.Checks);
        writer.WriteLine($"orchprep: verdict: {WireNames.Of(report.Outcome).ToUpperInvariant()}: {StatusWords.OutcomeSentence(report.Outcome, counts.Warning > 0)}; {counts.Describe()}");
        foreach (var check in ReportGrouping.Sorted(report.Checks.Where(c => c.Status is CheckStatus.Unmet or CheckStatus.Error)))
        {
            writer.WriteLine($"orchprep:   {WireNames.Of(check.Status)} {Line(check.Id)} on {Line(check.Host)}: {Line(check.Detail)}");
        }

        foreach (var action in report.Actions)
        {
            writer.WriteLine($"orchprep: action: {WireNames.Of(action.Kind)} {WireNames.Of(action.Outcome)}: {Line(action.Target)} — {Line(action.Detail)}");
        }

        if (report.Backup is { } backup)
        {
            writer.WriteLine($"orchprep: backup: verified {WireNames.Of(backup.Verified)}{(backup.RestoredOn is { } on ? " on " + Line(on) : string.Empty)}, LSN {Line(backup.FirstLsn ?? "?")}–{Line(backup.LastLsn ?? "?")}");
            foreach (var file in backup.Files)
            {
                writer.WriteLine($"orchprep: backup file: {Line(file.Path)} {file.Bytes} bytes sha256 {(file.Sha256.Length > 0 ? file.Sha256 : "(not computed)")}");
            }
        }

        foreach (var note in report.Notes)
        {
            writer.WriteLine($"orchprep: note: {Line(note)}");
        }
    }

    // One log line per value: its own line breaks become " | ", control characters are dropped.
    private static string Line(string? value) =>
        string.IsNullOrEmpty(value) ? string.Empty : ControlCharacters.Strip(value).ReplaceLineEndings(" | ");
}
