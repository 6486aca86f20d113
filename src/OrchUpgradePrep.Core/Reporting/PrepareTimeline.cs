using System.Globalization;
using System.Text;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// prepare's steps in the order they ran (drain → block → back up → verify → save keys) with how long each took, from the
/// step verdicts in the report, and their Mermaid gantt chart, so the reviewer of a gated approval sees at a glance
/// what happened and where the time went.
/// </summary>
public static class PrepareTimeline
{
    /// <summary>
    /// A phase, the step verdicts that make it up, and the one among them only prepare's step gives (its anchor): the
    /// preflight and key checks also run as ordinary checks when the step did not run, and must not make it look done.
    /// </summary>
    private static readonly (string Name, string Key, string Anchor, string[] Ids, ActionKind ActionKind)[] Phases =
    [
        ("Drain runbooks", "drain", "runbooks.drained", ["runbooks.drained"], ActionKind.RunbookStop),
        ("Block new starts", "block", "runbooks.starts-blocked", ["runbooks.starts-blocked"], ActionKind.BlockStarts),
        ("Back up", "backup", "backup.taken", ["backup.permissions", "backup.free-space", "backup.taken"], ActionKind.Backup),
        ("Verify", "verify", "backup.verifyonly", ["backup.verifyonly", "backup.header", "backup.msdb-history", "backup.sha256", "backup.test-restore"], ActionKind.Verify),
        ("Save keys", "keys", "backup.taken", ["backup.service-master-key"], ActionKind.SaveKeys),
    ];

    /// <summary>A step of prepare: what it came to and how long it took, or why it did not run (<see cref="Reason"/>, status skipped).</summary>
    public sealed record Phase(string Name, string Key, CheckStatus Status, TimeSpan Duration, string? Reason = null);

    /// <summary>Every prepare step in order, skipped ones with their reason; empty outside prepare.</summary>
    public static IReadOnlyList<Phase> Of(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Mode != RunMode.Prepare)
        {
            return [];
        }

        var phases = new List<Phase>();
        string? lastReason = null;
        foreach (var (name, key, anchor, ids, actionKind) in Phases)
        {
            var ran = report.Checks.Any(c => c.Id == anchor && c.Status != CheckStatus.Skipped);
            var steps = ran ? report.Checks.Where(c => ids.Contains(c.Id, StringComparer.Ordinal) && c.Status != CheckStatus.Skipped).ToList() : [];
            if (steps.Count > 0)
            {
                phases.Add(new Phase(name, key, Worst(steps.Select(s => s.Status)), TimeSpan.FromMilliseconds(steps.Sum(s => s.DurationMs))));
                continue;
            }

            // A step with no reason of its own did not run for the latest reason given before it (no backup, no verify).
            var own = SkipReason(report, ids, actionKind);
            lastReason = own ?? lastReason;
            phases.Add(new Phase(name, key, CheckStatus.Skipped, TimeSpan.Zero, lastReason ?? "not run"));
        }

        return phases.All(p => p.Status == CheckStatus.Skipped) && !report.Actions.Any() ? [] : phases;
    }

    /// <summary>Why a step did not run, in the words prepare recorded: its skipped verdict, else its skipped action.</summary>
    private static string? SkipReason(Report report, string[] ids, ActionKind actionKind) =>
        report.Checks.FirstOrDefault(c => ids.Contains(c.Id, StringComparer.Ordinal) && c.Status == CheckStatus.Skipped && c.Detail.StartsWith("not ", StringComparison.Ordinal))?.Detail
        ?? report.Actions.FirstOrDefault(a => a.Kind == actionKind && a.Outcome is ActionOutcome.Skipped or ActionOutcome.NotStarted)?.Detail;

    /// <summary>A fenced ```mermaid gantt block; null when no phase ran.</summary>
    public static string? Mermaid(Report report)
    {
        var phases = Of(report).Where(p => p.Status != CheckStatus.Skipped).ToList();
        if (phases.Count == 0)
        {
            return null;
        }

        var total = phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Duration);
        var chart = new StringBuilder();
        chart.Append("```mermaid\n");
        chart.Append("gantt\n");
        chart.Append(CultureInfo.InvariantCulture, $"    title prepare steps, {Format(total)} in all\n");
        // Unix seconds from 0: the axis then reads as elapsed mm:ss rather than a date.
        chart.Append("    dateFormat X\n");
        chart.Append("    axisFormat %M:%S\n");
        string? previous = null;
        foreach (var phase in phases)
        {
            var tag = phase.Status switch
            {
                CheckStatus.Met => "done, ",
                CheckStatus.Unmet or CheckStatus.Error => "crit, ",
                _ => "active, ",
            };
            var start = previous is null ? "0" : $"after {previous}";
            // Mermaid draws nothing for a zero-length task: give an instant step one millisecond.
            var ms = Math.Max(1, (long)phase.Duration.TotalMilliseconds);
            chart.Append(CultureInfo.InvariantCulture,
                $"    {phase.Name} {Format(phase.Duration)} {WireNames.Of(phase.Status)} :{tag}{phase.Key}, {start}, {ms}ms\n");
            previous = phase.Key;
        }

        chart.Append("```");
        return chart.ToString();
    }

    /// <summary>"42 s", "3 min 05 s", "1 h 02 min": what a person reads beside a bar.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes:00} min")
        : duration.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s")
        : duration.TotalSeconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#} s")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms");

    private static CheckStatus Worst(IEnumerable<CheckStatus> statuses)
    {
        var list = statuses.ToList();
        return list.Contains(CheckStatus.Error) ? CheckStatus.Error
            : list.Contains(CheckStatus.Unmet) ? CheckStatus.Unmet
            : list.Contains(CheckStatus.Warning) ? CheckStatus.Warning
            : CheckStatus.Met;
    }
}
