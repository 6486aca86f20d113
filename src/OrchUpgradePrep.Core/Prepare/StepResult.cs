using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prepare;

/// <summary>A verdict of a prepare or resume step as a report row: environment scope, its help page, how long the step took.</summary>
public static class StepResult
{
    public static CheckResult From(string id, Prerequisite prerequisite, string title, string environmentName, CheckOutcome outcome, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new CheckResult
        {
            Id = id,
            Prerequisite = prerequisite,
            Host = environmentName,
            Status = outcome.Status,
            Title = title,
            Detail = outcome.Detail,
            Evidence = outcome.Evidence,
            Remediation = outcome.Remediation,
            HelpUri = CheckHelp.UriFor(id),
            DurationMs = (long)took.TotalMilliseconds,
        };
    }
}
