namespace OrchUpgradePrep.Model;

/// <summary>What a check returns: a verdict with the reasons for it. The runner adds id, host and timing.</summary>
public sealed record CheckOutcome
{
    public required CheckStatus Status { get; init; }
    public required string Detail { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
    public string? Remediation { get; init; }

    public static CheckOutcome Met(string detail, params Evidence[] evidence) =>
        new() { Status = CheckStatus.Met, Detail = detail, Evidence = evidence };

    public static CheckOutcome Unmet(string detail, string remediation, params Evidence[] evidence) =>
        new() { Status = CheckStatus.Unmet, Detail = detail, Remediation = remediation, Evidence = evidence };

    public static CheckOutcome Warning(string detail, string? remediation, params Evidence[] evidence) =>
        new() { Status = CheckStatus.Warning, Detail = detail, Remediation = remediation, Evidence = evidence };

    public static CheckOutcome Skipped(string reason, params Evidence[] evidence) =>
        new() { Status = CheckStatus.Skipped, Detail = reason, Evidence = evidence };

    public static CheckOutcome Error(string reason, params Evidence[] evidence) =>
        new() { Status = CheckStatus.Error, Detail = reason, Evidence = evidence };
}
