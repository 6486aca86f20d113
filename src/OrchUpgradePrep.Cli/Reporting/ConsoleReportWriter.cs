using System.Globalization;
using OrchUpgradePrep.Model;
using Spectre.Console;

using OrchUpgradePrep.Reporting;

namespace OrchUpgradePrep.Cli.Reporting;

/// <summary>
/// Renders the report for a console or CI log: grouped by prerequisite then host, one line per check,
/// evidence and remediation under what needs attention, and a last line with outcome and counts.
/// Colour only on an interactive terminal; plain text (no ANSI codes) everywhere else.
/// </summary>
public sealed class ConsoleReportWriter
{
    // Wide enough that CI logs never get a line wrapped mid-value; terminals keep their own width.
    private const int PlainWidth = 4096;
    private const string Indent = "    ";
    private const string DetailIndent = "           ";

    private readonly bool _interactive;
    private readonly ConsoleVerbosity _verbosity;

    /// <param name="interactive">
    /// True when stdout is a terminal a person watches (the CLI decides: not redirected, no CI, no NO_COLOR).
    /// </param>
    /// <param name="verbosity">How much to print; the default lists every check.</param>
    public ConsoleReportWriter(bool interactive, ConsoleVerbosity verbosity = ConsoleVerbosity.Detailed)
    {
        _interactive = interactive;
        _verbosity = verbosity;
    }

    /// <summary>Writes the report to <paramref name="writer"/>.</summary>
    public void Write(Report report, TextWriter writer)
    {
        var console = CreateConsole(writer);
        var counts = StatusCounts.Of(report.Checks);

        console.MarkupLine(
            $"[bold]orchprep {WireNames.Of(report.Mode)}[/]: environment {Escaped(report.Environment, string.Empty)}, target {Escaped(report.Target, string.Empty)}{(report.TargetLevel is { } level ? $" (update level {Escaped(level, string.Empty)})" : string.Empty)}");

        foreach (var (prerequisite, hosts) in ReportGrouping.ByPrerequisiteAndHost(report.Checks))
        {
            var attention = hosts.Sum(h => h.Checks.Count(NeedsAttention));
            if (_verbosity == ConsoleVerbosity.Quiet && attention == 0)
            {
                continue;
            }

            console.MarkupLine($"[bold]{WireNames.Of(prerequisite)}[/]");
            foreach (var (host, checks) in hosts)
            {
                if (_verbosity >= ConsoleVerbosity.Detailed)
                {
                    console.MarkupLine($"  {Escaped(host, "  ")}");
                    foreach (var check in checks)
                    {
                        WriteCheck(console, check);
                    }

                    continue;
                }

                // Normal and quiet: what is fine is one count on the host's line; what needs attention follows in full.
                var shown = checks.Where(NeedsAttention).ToList();
                if (_verbosity == ConsoleVerbosity.Quiet && shown.Count == 0)
                {
                    continue;
                }

                var settled = checks.Where(c => !NeedsAttention(c)).ToList();
                var summary = settled.Count == 0 || _verbosity == ConsoleVerbosity.Quiet ? string.Empty : "  " + SettledCounts(settled);
                console.MarkupLine($"  {Escaped(host, "  ")}{Markup.Escape(summary)}");
                foreach (var check in shown)
                {
                    WriteCheck(console, check);
                }
            }
        }

        if (report.Actions.Count > 0 && _verbosity == ConsoleVerbosity.Quiet)
        {
            console.MarkupLine($"[bold]actions[/]: {report.Actions.Count} (listed in report.json and report.md; --verbosity normal prints them)");
        }
        else if (report.Actions.Count > 0)
        {
            console.MarkupLine("[bold]actions[/]");
            foreach (var action in report.Actions)
            {
                console.MarkupLine($"  {WireNames.Of(action.Kind)} {WireNames.Of(action.Outcome)}: {Escaped(action.Target, "    ")} — {Escaped(action.Detail, "    ")}");
            }
        }

        if (report.Backup is { } backup)
        {
            console.MarkupLine($"[bold]backup[/] verified: {WireNames.Of(backup.Verified)}{(backup.RestoredOn is { } on ? " on " + Escaped(on, string.Empty) : string.Empty)}, compressed: {(backup.Compressed ? "yes" : "no")}, LSN {Escaped(backup.FirstLsn ?? "?", string.Empty)}–{Escaped(backup.LastLsn ?? "?", string.Empty)}");
            foreach (var file in backup.Files)
            {
                console.MarkupLine($"  {Escaped(file.Path, "  ")} {file.Bytes} bytes sha256 {Escaped(file.Sha256.Length > 0 ? file.Sha256 : "(not computed)", string.Empty)}");
            }
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[yellow]NOTE[/] {Escaped(note, "     ")}");
        }

        var outcome = WireNames.Of(report.Outcome).ToUpperInvariant();
        var style = report.Outcome switch
        {
            RunOutcome.Met when counts.Warning > 0 => "yellow",
            RunOutcome.Met => "green",
            RunOutcome.Unmet => "red",
            _ => "yellow",
        };
        console.MarkupLine(
            $"[bold {style}]{outcome}[/]: {StatusWords.OutcomeSentence(report.Outcome, counts.Warning > 0)}; {counts.Describe()}");
    }

    private static bool NeedsAttention(CheckResult check) => check.Status is not (CheckStatus.Met or CheckStatus.Skipped);

    private static string SettledCounts(IReadOnlyList<CheckResult> settled)
    {
        var met = settled.Count(c => c.Status == CheckStatus.Met);
        var skipped = settled.Count - met;
        return met > 0 && skipped > 0 ? $"{met} met, {skipped} skipped" : met > 0 ? $"{met} met" : $"{skipped} skipped";
    }

    private void WriteCheck(IAnsiConsole console, CheckResult check)
    {
        var word = StatusWords.Console(check.Status).PadRight(6);
        var style = check.Status switch
        {
            CheckStatus.Met => "green",
            CheckStatus.Unmet => "red",
            CheckStatus.Warning => "yellow",
            CheckStatus.Error => "red",
            _ => "grey",
        };
        var took = _verbosity == ConsoleVerbosity.Diagnostic ? string.Create(CultureInfo.InvariantCulture, $" ({check.DurationMs} ms)") : string.Empty;
        console.MarkupLine(
            $"{Indent}[{style}]{word}[/] {Escaped(check.Id, Indent)}  {Escaped(check.Detail, DetailIndent + Indent)}{took}");

        if (check.Status is CheckStatus.Met or CheckStatus.Skipped)
        {
            if (_verbosity == ConsoleVerbosity.Diagnostic)
            {
                WriteEvidence(console, check);
            }

            return;
        }

        WriteEvidence(console, check);

        if (!string.IsNullOrEmpty(check.Remediation))
        {
            console.MarkupLine($"{Indent}{DetailIndent}fix: {Escaped(check.Remediation, Indent + DetailIndent + "     ")}");
        }

        console.MarkupLine($"{Indent}{DetailIndent}help: {Escaped(check.HelpUri, Indent + DetailIndent)}");
    }

    private static void WriteEvidence(IAnsiConsole console, CheckResult check)
    {
        foreach (var evidence in check.Evidence)
        {
            console.MarkupLine($"{Indent}{DetailIndent}{Escaped(evidence.Source, Indent + DetailIndent)}: {Escaped(evidence.Value, Indent + DetailIndent + "  ")}");
        }
    }

    // Markup-escaped and control characters dropped; a value's own line breaks become indented continuation
    // lines starting "| ", so no value can begin a log line (one starting "::" or "##[" is a command to the runner).
    private static string Escaped(string? value, string continuationIndent)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var lines = ControlCharacters.Strip(value).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');
        return string.Join("\n" + continuationIndent + "| ", lines.Select(Markup.Escape));
    }

    private IAnsiConsole CreateConsole(TextWriter writer)
    {
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = _interactive ? AnsiSupport.Yes : AnsiSupport.No,
            // Standard (16 colours) is all we use, and every terminal and log viewer renders it.
            ColorSystem = _interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        };

        if (!_interactive)
        {
            // Spectre would otherwise read CI variables and terminal settings; a log must not depend on them.
            settings.Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false };
            settings.EnvironmentVariables = new Dictionary<string, string>();
        }

        var console = AnsiConsole.Create(settings);
        if (!_interactive)
        {
            console.Profile.Width = PlainWidth;
        }

        return console;
    }
}
