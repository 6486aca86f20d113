using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Runner;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>A check/prepare/resume run after flags, ORCHPREP_* variables and defaults are merged (config not yet read).</summary>
internal sealed record RunRequest
{
    public required RunMode Mode { get; init; }
    public string? ConfigPath { get; init; }
    public string? Environment { get; init; }
    public string? SandboxScenario { get; init; }
    public IReadOnlyList<OutputFormat> Formats { get; init; } = [OutputFormat.Console];
    public string? OutputDirectory { get; init; }
    public CheckSelection Selection { get; init; } = CheckSelection.All;
    public RunOverrides Overrides { get; init; } = new();
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>prepare: close open Orchestrator programs (only with this switch).</summary>
    public bool ClosePrograms { get; init; }

    /// <summary>--fail-on-warning: a warning makes the outcome unmet.</summary>
    public bool FailOnWarning { get; init; }
    public int MaxParallelism { get; init; } = 8;
}
