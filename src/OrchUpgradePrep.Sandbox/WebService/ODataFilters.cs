using System.Text.RegularExpressions;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>
/// The $filter forms the sandbox understands, exactly those orchprep and the documented clients send
/// (docs/facts/orchestrator-versions.md#web-service): <c>Status eq 'X'</c> joined by <c>or</c>, optionally <c>(…) and RunbookServerId eq guid'…'</c>
/// or <c>RunbookId eq guid'…'</c>; <c>IsMonitor eq true|false</c> on Runbooks. Anything else is refused (400).
/// An unparenthesised or-list before <c>and</c> is refused too: OData binds <c>and</c> tighter than <c>or</c>, so it
/// would not mean what it looks like.
/// </summary>
internal static partial class ODataFilters
{
    private const int MaxFilterLength = 4096;

    /// <summary>Null members match anything.</summary>
    public sealed record JobFilter(IReadOnlySet<string>? Statuses, Guid? RunbookServerId, Guid? RunbookId)
    {
        public bool Matches(SandboxJob job) =>
            (Statuses is null || Statuses.Contains(job.Status))
            && (RunbookServerId is not { } server || job.RunbookServerId == server)
            && (RunbookId is not { } runbook || job.RunbookId == runbook);
    }

    public static bool TryParseJobs(string? filter, out JobFilter result, out string error)
    {
        result = new JobFilter(null, null, null);
        error = "";
        if (filter is null)
        {
            return true;
        }

        if (filter.Length > MaxFilterLength)
        {
            error = Unsupported(filter[..64] + "…");
            return false;
        }

        var parts = And().Split(filter.Trim());
        if (parts.Length > 2)
        {
            error = Unsupported(filter);
            return false;
        }

        HashSet<string>? statuses = null;
        Guid? serverId = null;
        Guid? runbookId = null;
        foreach (var raw in parts)
        {
            var parenthesised = raw.Length >= 2 && raw[0] == '(' && raw[^1] == ')';
            var part = parenthesised ? raw[1..^1].Trim() : raw;
            if (StatusList().Match(part) is { Success: true } list && statuses is null)
            {
                var values = list.Groups["s"].Captures.Select(c => c.Value.Replace("''", "'", StringComparison.Ordinal)).ToList();
                if (parts.Length > 1 && values.Count > 1 && !parenthesised)
                {
                    error = Unsupported(filter) + " Put the or-list in parentheses: (Status eq 'A' or Status eq 'B') and ….";
                    return false;
                }

                statuses = new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
            }
            else if (KeyEquals().Match(part) is { Success: true } key && serverId is null && runbookId is null)
            {
                var id = Guid.Parse(key.Groups["g"].Value);
                if (key.Groups["f"].Value == "RunbookServerId")
                {
                    serverId = id;
                }
                else
                {
                    runbookId = id;
                }
            }
            else
            {
                error = Unsupported(filter);
                return false;
            }
        }

        result = new JobFilter(statuses, serverId, runbookId);
        return true;
    }

    /// <summary>Runbooks: only <c>IsMonitor eq true|false</c>; null = no filter.</summary>
    public static bool TryParseRunbooks(string? filter, out bool? isMonitor, out string error)
    {
        isMonitor = null;
        error = "";
        if (filter is null)
        {
            return true;
        }

        var match = IsMonitor().Match(filter.Length > MaxFilterLength ? "" : filter);
        if (!match.Success)
        {
            error = Unsupported(filter.Length > MaxFilterLength ? filter[..64] + "…" : filter);
            return false;
        }

        isMonitor = match.Groups["v"].Value == "true";
        return true;
    }

    public static string Unsupported(string filter) => $"The sandbox web service does not support the $filter expression '{filter}'.";

    [GeneratedRegex(@"\s+and\s+", RegexOptions.CultureInvariant)]
    private static partial Regex And();

    [GeneratedRegex(@"^Status\s+eq\s+'(?<s>(?:[^']|'')*)'(?:\s+or\s+Status\s+eq\s+'(?<s>(?:[^']|'')*)')*$", RegexOptions.CultureInvariant)]
    private static partial Regex StatusList();

    [GeneratedRegex(@"^(?<f>RunbookServerId|RunbookId)\s+eq\s+guid'(?<g>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})'$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyEquals();

    [GeneratedRegex(@"^\s*\(?\s*IsMonitor\s+eq\s+(?<v>true|false)\s*\)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IsMonitor();
}
