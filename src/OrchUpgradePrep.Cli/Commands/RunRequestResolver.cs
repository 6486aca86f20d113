using System.CommandLine;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Engine;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// Merges one option from its three sources, highest first: the flag, then <c>ORCHPREP_&lt;OPTION&gt;</c>
/// (pipeline task and action inputs arrive this way), then the config file (applied later).
/// A bad value is a <see cref="ConfigException"/> naming where it came from (exit 2).
/// </summary>
internal sealed class RunRequestResolver
{
    private readonly RunOptions _options;
    private readonly Func<string, string?> _getEnvironmentVariable;

    public RunRequestResolver(RunOptions options, Func<string, string?> getEnvironmentVariable)
    {
        _options = options;
        _getEnvironmentVariable = getEnvironmentVariable;
    }

    public RunRequest Resolve(ParseResult parse, RunMode mode)
    {
        var sandbox = SandboxScenario(parse);
        var environment = Text(parse, _options.Environment);
        if (sandbox is not null && environment.Value is not null)
        {
            // Picking the sandbox's environment and another one at once is a mistake; the other one must not be dropped quietly.
            throw new ConfigException(
                $"{(Given(parse, _options.Sandbox) ? "--sandbox" : "ORCHPREP_SANDBOX")} and {environment.Origin} ('{environment.Value}') exclude each other: " +
                $"the sandbox has its own environment ('{Sandbox.SandboxSession.EnvironmentName}'). Drop one of them.");
        }

        var timeoutText = Text(parse, _options.CheckTimeout);
        var deadlineText = Text(parse, _options.Deadline);
        var target = TargetOption(Text(parse, _options.Target));
        return new RunRequest
        {
            Mode = mode,
            ConfigPath = Text(parse, _options.Config).Value,
            Environment = environment.Value,
            SandboxScenario = sandbox,
            Formats = Formats(parse),
            Verbosity = Verbosity(parse),
            OutputDirectory = Text(parse, _options.Output).Value,
            Selection = new CheckSelection(List(parse, _options.Only), List(parse, _options.Skip)),
            CheckTimeout = timeoutText.Value is null ? TimeSpan.FromMinutes(2) : PositiveDuration(timeoutText),
            Deadline = deadlineText.Value is null ? TimeSpan.FromMinutes(15) : PositiveDuration(deadlineText),
            ClosePrograms = mode == RunMode.Prepare && Switch(parse, _options.ClosePrograms),
            ForceStop = mode == RunMode.Prepare && Switch(parse, _options.ForceStop),
            IfPresent = mode == RunMode.Resume && Switch(parse, _options.IfPresent),
            FailOnWarning = Switch(parse, _options.FailOnWarning),
            PublishCheckRun = Switch(parse, _options.PublishCheckRun) ? CheckRunDestination() : null,
            Overrides = new RunOverrides
            {
                Target = target.Version,
                TargetUpdateRollup = target.Rollup,
                Drain = Enum<DrainMode>(parse, _options.Drain),
                DrainTimeout = OptionalDuration(Text(parse, _options.DrainTimeout)),
                BackupDirectory = Text(parse, _options.BackupDir).Value,
                Verify = Enum<VerifyLevel>(parse, _options.Verify),
                RestoreServer = Text(parse, _options.RestoreServer).Value,
            },
        };
    }

    /// <summary>
    /// --publish-check-run reads what a GitHub workflow provides: GITHUB_TOKEN (the step passes it in env), GITHUB_REPOSITORY,
    /// GITHUB_SHA, GITHUB_API_URL (default https://api.github.com). What is missing is a usage error naming it.
    /// </summary>
    private CheckRunDestination CheckRunDestination()
    {
        string? Value(string name) => _getEnvironmentVariable(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var token = Value("GITHUB_TOKEN");
        var repository = Value("GITHUB_REPOSITORY");
        var sha = Value("GITHUB_SHA");
        var missing = new List<string>();
        if (token is null)
        {
            missing.Add("GITHUB_TOKEN (add `env: GITHUB_TOKEN: ${{ github.token }}` to the step, with `permissions: checks: write`)");
        }

        var parts = repository?.Split('/', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 } || parts[0].Length == 0 || parts[1].Length == 0)
        {
            missing.Add(repository is null ? "GITHUB_REPOSITORY (owner/name)" : $"GITHUB_REPOSITORY as owner/name (it is '{repository}')");
        }

        if (sha is null)
        {
            missing.Add("GITHUB_SHA");
        }

        if (missing.Count > 0)
        {
            throw new ConfigException($"--publish-check-run needs {string.Join(", ", missing)}; it runs inside a GitHub workflow.");
        }

        var api = Value("GITHUB_API_URL") ?? "https://api.github.com";
        if (!Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out var apiUrl) || apiUrl.Scheme is not ("http" or "https"))
        {
            throw new ConfigException($"--publish-check-run: GITHUB_API_URL '{api}' is not an http(s) URL.");
        }

        return new CheckRunDestination(apiUrl, token!, parts![0], parts[1], sha!);
    }

    /// <summary>The value and where it came from, for error messages.</summary>
    private readonly record struct Sourced(string? Value, string Origin);

    internal static string EnvName(Option option) =>
        "ORCHPREP_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    private bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private Sourced Text(ParseResult parse, Option<string?> option)
    {
        if (Given(parse, option))
        {
            return new Sourced(parse.GetValue(option), option.Name);
        }

        var env = EnvName(option);
        var value = _getEnvironmentVariable(env);
        return new Sourced(string.IsNullOrWhiteSpace(value) ? null : value.Trim(), env);
    }

    /// <summary>A switch: the flag, or ORCHPREP_&lt;OPTION&gt; = true/false (anything else is an error naming the variable).</summary>
    private bool Switch(ParseResult parse, Option<bool> option)
    {
        if (Given(parse, option))
        {
            return parse.GetValue(option);
        }

        var env = EnvName(option);
        var value = _getEnvironmentVariable(env);
        return string.IsNullOrWhiteSpace(value) ? false
            : bool.TryParse(value.Trim(), out var on) ? on
            : throw new ConfigException($"{env} is '{value.Trim()}', not true or false.");
    }

    private IReadOnlyList<string> List(ParseResult parse, Option<string[]> option)
    {
        var raw = Given(parse, option)
            ? parse.GetValue(option) ?? []
            : (_getEnvironmentVariable(EnvName(option)) ?? string.Empty).Split([',', ';', '\n'], StringSplitOptions.TrimEntries);
        return raw.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Where(v => v.Length > 0).ToArray();
    }

    private string? SandboxScenario(ParseResult parse)
    {
        if (Given(parse, _options.Sandbox))
        {
            return parse.GetValue(_options.Sandbox) is { Length: > 0 } scenario ? scenario : "healthy";
        }

        var env = _getEnvironmentVariable("ORCHPREP_SANDBOX")?.Trim();
        return env switch
        {
            null or "" or "false" or "False" or "0" => null,
            "true" or "True" or "1" => "healthy",
            _ => env,
        };
    }

    /// <summary>
    /// --verbosity, else ORCHPREP_VERBOSITY, else diagnostic when the pipeline run is in debug mode (Azure Pipelines sets
    /// SYSTEM_DEBUG=true for System.Debug, GitHub sets RUNNER_DEBUG=1 for a re-run with debug logging), else normal.
    /// </summary>
    private Cli.Reporting.ConsoleVerbosity Verbosity(ParseResult parse)
    {
        if (Enum<Cli.Reporting.ConsoleVerbosity>(parse, _options.Verbosity) is { } chosen)
        {
            return chosen;
        }

        var azureDebug = string.Equals(_getEnvironmentVariable("SYSTEM_DEBUG")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var githubDebug = _getEnvironmentVariable("RUNNER_DEBUG")?.Trim() == "1";
        return azureDebug || githubDebug ? Cli.Reporting.ConsoleVerbosity.Diagnostic : Cli.Reporting.ConsoleVerbosity.Normal;
    }

    private IReadOnlyList<OutputFormat> Formats(ParseResult parse)
    {
        var entries = List(parse, _options.Format);
        if (entries.Count == 0)
        {
            return [OutputFormat.Console];
        }

        var formats = new List<OutputFormat>();
        foreach (var entry in entries)
        {
            if (!WireNames.TryParse<OutputFormat>(entry, out var format))
            {
                throw new ConfigException($"--format: '{entry}' is not a format; use console, json, markdown or junit.");
            }

            if (!formats.Contains(format))
            {
                formats.Add(format);
            }
        }

        return formats;
    }

    private TEnum? Enum<TEnum>(ParseResult parse, Option<string?> option) where TEnum : struct, System.Enum =>
        Parse(Text(parse, option), s => WireNames.TryParse<TEnum>(s, out var v) ? v : (TEnum?)null, string.Join("|", WireNames.All<TEnum>()));

    /// <summary>--target 2022, 2022UR3 or "2022 UR3": the version and, when named, its update rollup.</summary>
    private static (TargetVersion? Version, int? Rollup) TargetOption(Sourced sourced)
    {
        if (sourced.Value is null)
        {
            return (null, null);
        }

        return TargetLevels.TryParse(sourced.Value, out var version, out var rollup)
            ? (version, rollup)
            : throw new ConfigException($"{sourced.Origin}: '{sourced.Value}' is not valid; use {TargetLevels.AcceptedForms}.");
    }

    private static T? Parse<T>(Sourced sourced, Func<string, T?> parse, string allowed) where T : struct
    {
        if (sourced.Value is null)
        {
            return null;
        }

        return parse(sourced.Value) ?? throw new ConfigException($"{sourced.Origin}: '{sourced.Value}' is not valid; use {allowed}.");
    }

    private static TimeSpan? OptionalDuration(Sourced sourced) =>
        sourced.Value is null ? null
        : Duration.TryParse(sourced.Value, out var value) ? value
        : throw new ConfigException($"{sourced.Origin}: '{sourced.Value}' is not a duration; write it like 90s, 30m, 2h or 0s.");

    private static TimeSpan PositiveDuration(Sourced sourced) =>
        OptionalDuration(sourced) is { } value && value > TimeSpan.Zero
            ? value
            : throw new ConfigException($"{sourced.Origin}: '{sourced.Value}' must be a duration above 0s, like 90s or 2m.");
}
