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

    /// <summary>The update level the requirement checks judged against ("2022 UR3"); null when the run had none to name.</summary>
    public string? TargetLevel { get; init; }
    public required RunOutcome Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];
    public IReadOnlyList<ActionRecord> Actions { get; init; } = [];
    public BackupSummary? Backup { get; init; }

    /// <summary>Lines a person must read that are not a check (e.g. prepare steps not available yet).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Outcome from results: any unmet → unmet; else any error → error; else met (warnings allowed).</summary>
    /// <param name="failOnWarning">--fail-on-warning: a warning counts as unmet (the stage must not pass with issues).</param>
    public static RunOutcome Decide(IEnumerable<CheckResult> checks, bool cancelled, bool failOnWarning = false)
    {
        if (cancelled)
        {
            return RunOutcome.Cancelled;
        }

        var list = checks as IReadOnlyCollection<CheckResult> ?? checks.ToList();
        if (list.Any(c => c.Status == CheckStatus.Unmet || (failOnWarning && c.Status == CheckStatus.Warning)))
        {
            return RunOutcome.Unmet;
        }

        return list.Any(c => c.Status == CheckStatus.Error) ? RunOutcome.Error : RunOutcome.Met;
    }
}

public sealed record ToolInfo(string Name, string Version);
