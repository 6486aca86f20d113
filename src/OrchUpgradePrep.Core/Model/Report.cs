namespace OrchUpgradePrep.Model;

/// <summary>The one immutable result of a run. Reporters render it; they never decide anything.</summary>
public sealed record Report
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required ToolInfo Tool { get; init; }
    public required RunMode Mode { get; init; }
    public required string Environment { get; init; }
    public required string Target { get; init; }
    public required RunOutcome Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];
    public IReadOnlyList<ActionRecord> Actions { get; init; } = [];
    public BackupSummary? Backup { get; init; }

    /// <summary>Lines a person must read that are not a check (e.g. prepare steps not available yet).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Outcome from results: any unmet → unmet; else any error → error; else met (warnings allowed).</summary>
    public static RunOutcome Decide(IEnumerable<CheckResult> checks, bool cancelled)
    {
        if (cancelled)
        {
            return RunOutcome.Cancelled;
        }

        var list = checks as IReadOnlyCollection<CheckResult> ?? checks.ToList();
        if (list.Any(c => c.Status == CheckStatus.Unmet))
        {
            return RunOutcome.Unmet;
        }

        return list.Any(c => c.Status == CheckStatus.Error) ? RunOutcome.Error : RunOutcome.Met;
    }
}

public sealed record ToolInfo(string Name, string Version);
