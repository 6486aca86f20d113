namespace OrchUpgradePrep.Model;

/// <summary>A side effect prepare/resume performed or declined; report.json writes kind and outcome as their <see cref="WireNames"/>.</summary>
public sealed record ActionRecord(ActionKind Kind, string Target, ActionOutcome Outcome, string Detail)
{
    /// <summary>"kind: target" → "outcome: detail", as the step verdicts that sum up their actions cite them in evidence.</summary>
    public Evidence ToEvidence() => new($"{WireNames.Of(Kind)}: {Target}", $"{WireNames.Of(Outcome)}: {Detail}");
}
