using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>The order people read checks in: prerequisite (design order), then host, then check id.</summary>
public static class ReportGrouping
{
    // Sorted rather than in runner order: checks run concurrently, and the same run must render the same text.
    public static IEnumerable<(Prerequisite Prerequisite, IReadOnlyList<(string Host, IReadOnlyList<CheckResult> Checks)> Hosts)> ByPrerequisiteAndHost(
        IEnumerable<CheckResult> checks) =>
        checks
            .GroupBy(c => c.Prerequisite)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<(string, IReadOnlyList<CheckResult>)>)g
                .GroupBy(c => c.Host, StringComparer.Ordinal)
                .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ThenBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => (h.Key, (IReadOnlyList<CheckResult>)Sorted(h)))
                .ToList()));

    public static IReadOnlyList<CheckResult> Sorted(IEnumerable<CheckResult> checks) =>
        checks
            .OrderBy(c => c.Prerequisite)
            .ThenBy(c => c.Host, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Host, StringComparer.Ordinal)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
}
