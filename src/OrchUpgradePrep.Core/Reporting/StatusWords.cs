using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>How statuses and outcomes are spelled for people (words always; emoji only beside them).</summary>
public static class StatusWords
{
    /// <summary>Fixed-width-friendly word for console lines: MET, UNMET, WARN, SKIP, ERROR.</summary>
    public static string Console(CheckStatus status) => status switch
    {
        CheckStatus.Met => "MET",
        CheckStatus.Unmet => "UNMET",
        CheckStatus.Warning => "WARN",
        CheckStatus.Skipped => "SKIP",
        CheckStatus.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Markdown(CheckStatus status) => status switch
    {
        CheckStatus.Met => "✅ met",
        CheckStatus.Unmet => "❌ unmet",
        CheckStatus.Warning => "⚠️ warning",
        CheckStatus.Skipped => "⏭️ skipped",
        CheckStatus.Error => "⚠️ error",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string OutcomeSentence(RunOutcome outcome, bool hasWarnings) => outcome switch
    {
        RunOutcome.Met when hasWarnings => "all prerequisites met, with warnings",
        RunOutcome.Met => "all prerequisites met",
        RunOutcome.Unmet => "a prerequisite is unmet",
        RunOutcome.Error => "a check could not be evaluated",
        RunOutcome.Cancelled => "the run was cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static string OutcomeMarkdown(RunOutcome outcome, bool hasWarnings) => outcome switch
    {
        RunOutcome.Met when hasWarnings => "⚠️ MET with warnings",
        RunOutcome.Met => "✅ MET",
        RunOutcome.Unmet => "❌ UNMET",
        RunOutcome.Error => "⚠️ ERROR",
        RunOutcome.Cancelled => "⚠️ CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
