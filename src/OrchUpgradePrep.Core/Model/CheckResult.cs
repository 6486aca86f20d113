namespace OrchUpgradePrep.Model;

/// <summary>One row of the report: a check's outcome on one host.</summary>
public sealed record CheckResult
{
    public required string Id { get; init; }
    public required Prerequisite Prerequisite { get; init; }
    public required string Host { get; init; }
    public required CheckStatus Status { get; init; }
    public required string Title { get; init; }
    public required string Detail { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
    public string? Remediation { get; init; }
    public required string HelpUri { get; init; }
    public long DurationMs { get; init; }
}
