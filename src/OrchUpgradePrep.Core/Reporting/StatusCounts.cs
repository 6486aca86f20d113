using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>How many checks ended in each status; the summary line of every human-facing reporter.</summary>
public sealed record StatusCounts(int Met, int Unmet, int Warning, int Skipped, int Error)
{
    public int Total => Met + Unmet + Warning + Skipped + Error;

    public static StatusCounts Of(IEnumerable<CheckResult> checks)
    {
        var list = checks.ToList();
        return new StatusCounts(
            list.Count(c => c.Status == CheckStatus.Met),
            list.Count(c => c.Status == CheckStatus.Unmet),
            list.Count(c => c.Status == CheckStatus.Warning),
            list.Count(c => c.Status == CheckStatus.Skipped),
            list.Count(c => c.Status == CheckStatus.Error));
    }

    /// <summary>"3 met, 1 unmet, 0 warning, 1 skipped, 0 error (5 checks)": fixed order, zeros kept, so logs can be grepped.</summary>
    public string Describe() =>
        $"{Met} met, {Unmet} unmet, {Warning} warning, {Skipped} skipped, {Error} error ({Total} checks)";
}
