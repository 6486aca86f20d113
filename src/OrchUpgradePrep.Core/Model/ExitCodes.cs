namespace OrchUpgradePrep.Model;

/// <summary>Exit codes fixed by README.md#exit-codes (docs/architecture.md#contracts-other-tools-read); other tools read them.</summary>
public static class ExitCodes
{
    public const int Met = 0;
    public const int Unmet = 1;
    public const int UsageOrConfig = 2;
    public const int CouldNotEvaluate = 3;
    public const int Cancelled = 130;

    public static int For(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Met => Met,
        RunOutcome.Unmet => Unmet,
        RunOutcome.Error => CouldNotEvaluate,
        RunOutcome.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
