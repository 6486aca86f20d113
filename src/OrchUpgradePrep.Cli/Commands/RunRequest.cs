using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>A check/prepare/resume run after flags, ORCHPREP_* variables and defaults are merged (config not yet read).</summary>
internal sealed record RunRequest
{
    public required RunMode Mode { get; init; }
    public string? ConfigPath { get; init; }
    public string? Environment { get; init; }
    public string? SandboxScenario { get; init; }
    public IReadOnlyList<OutputFormat> Formats { get; init; } = [OutputFormat.Console];

    /// <summary>How much the console report and progress say (--verbosity; files always hold everything).</summary>
    public Cli.Reporting.ConsoleVerbosity Verbosity { get; init; } = Cli.Reporting.ConsoleVerbosity.Normal;
    public string? OutputDirectory { get; init; }
    public CheckSelection Selection { get; init; } = CheckSelection.All;
    public RunOverrides Overrides { get; init; } = new();
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>prepare: close open Orchestrator programs (only with this switch).</summary>
    public bool ClosePrograms { get; init; }

    /// <summary>prepare --force-stop: end the own process of a service that did not stop within policies.services.stopTimeout.</summary>
    public bool ForceStop { get; init; }

    /// <summary>resume --if-present: no prepare-state.json is "nothing to undo" (exit 0) instead of a usage error.</summary>
    public bool IfPresent { get; init; }

    /// <summary>--fail-on-warning: a warning makes the outcome unmet.</summary>
    public bool FailOnWarning { get; init; }
    /// <summary>--publish-check-run: where the report goes as a GitHub check run (null: not asked for).</summary>
    public CheckRunDestination? PublishCheckRun { get; init; }

    public int MaxParallelism { get; init; } = 8;
}

/// <summary>A GitHub check run for --publish-check-run, from the workflow's variables. Not a record: its token must not
/// turn up in a ToString().</summary>
internal sealed class CheckRunDestination
{
    public CheckRunDestination(Uri apiUrl, string token, string owner, string repository, string sha)
    {
        ApiUrl = apiUrl;
        Token = token;
        Owner = owner;
        Repository = repository;
        Sha = sha;
    }

    public Uri ApiUrl { get; }
    public string Token { get; }
    public string Owner { get; }
    public string Repository { get; }
    public string Sha { get; }

    public override string ToString() => $"{Owner}/{Repository}@{Sha} on {ApiUrl}";
}
