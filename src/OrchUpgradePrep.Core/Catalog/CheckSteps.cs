using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Catalog;

/// <summary>check's one step: the checks, under the run's deadline.</summary>
public static class CheckSteps
{
    public static IReadOnlyList<RunStep> InOrder(RunStep checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return [checks with { UnderDeadline = true }];
    }
}
