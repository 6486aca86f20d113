using System.Globalization;
using System.Text;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// The comment that goes with an approval or rejection: the verdict and counts, the unmet and error checks by id and
/// host (the first <see cref="ListedChecks"/>, then "and N more"), why orchprep could not decide, and the check run's
/// link. Kept within <see cref="DeploymentReviewClient.MaxCommentChars"/>: GitHub documents 1,024 characters for a
/// status report on this endpoint and no limit for the review comment, so the documented one is used. When it does not
/// all fit, the list is shortened first (more go to "and N more"), then the failure text; the link always stays.
/// </summary>
public static class DeploymentComment
{
    public const int ListedChecks = 10;

    /// <summary>One check's id or host longer than this is cut: a list entry must not crowd out the others.</summary>
    private const int MaxEntryChars = 120;

    /// <param name="head">The verdict sentence, e.g. "orchprep rejected the deployment to 'prod' (prod): 3 met, 2 unmet, …."</param>
    /// <param name="report">The report whose unmet and error checks are named; null when there is none.</param>
    /// <param name="failure">Why orchprep could not decide, or null.</param>
    /// <param name="tail">The link to the check run, or why there is none. Never dropped.</param>
    public static string Compose(string head, Report? report, string? failure, string tail, int maxChars = DeploymentReviewClient.MaxCommentChars)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(tail);
        tail = Cut(tail, maxChars / 2);
        head = Cut(head, maxChars - tail.Length - 1);
        var budget = maxChars - head.Length - tail.Length - 2;
        var failed = NotMet(report);

        // The list first: it is what the approver acts on. Each entry that does not fit goes to "and N more".
        var list = string.Empty;
        for (var shown = Math.Min(ListedChecks, failed.Count); shown >= 0; shown--)
        {
            list = List(failed, shown);
            if (list.Length <= budget)
            {
                break;
            }
        }

        if (list.Length > budget)
        {
            list = string.Empty;
        }

        var because = string.Empty;
        if (!string.IsNullOrWhiteSpace(failure))
        {
            var room = budget - list.Length - 1;
            because = room > 40 ? Cut($"orchprep could not decide: {failure}", room) : string.Empty;
        }

        var text = new StringBuilder(head);
        foreach (var part in new[] { because, list, tail })
        {
            if (part.Length > 0)
            {
                text.Append(' ').Append(part);
            }
        }

        return text.ToString();
    }

    /// <summary>The unmet checks, then the error ones, in report order.</summary>
    public static IReadOnlyList<CheckResult> NotMet(Report? report) =>
        report is null
            ? []
            : [.. report.Checks.Where(c => c.Status == CheckStatus.Unmet), .. report.Checks.Where(c => c.Status == CheckStatus.Error)];

    private static string List(IReadOnlyList<CheckResult> failed, int shown)
    {
        if (failed.Count == 0)
        {
            return string.Empty;
        }

        var entries = failed.Take(shown).Select(c => $"{Cut(c.Id, MaxEntryChars)} on {Cut(c.Host, MaxEntryChars)} ({WireNames.Of(c.Status)})").ToList();
        var more = failed.Count - shown;
        if (more > 0)
        {
            entries.Add(shown == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{more} check(s), see the report")
                : string.Create(CultureInfo.InvariantCulture, $"and {more} more"));
        }

        return "Not met: " + string.Join("; ", entries) + ".";
    }

    /// <summary>At most <paramref name="max"/> chars, "…" marking a cut; never half a surrogate pair (GitHub would refuse the JSON).</summary>
    internal static string Cut(string text, int max)
    {
        if (max <= 0)
        {
            return string.Empty;
        }

        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return text[..keep] + "…";
    }
}
