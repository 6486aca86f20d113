using System.CommandLine;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// A usage or setup mistake that stops the run before any check (exit 2). On stderr as "orchprep: …"; in a pipeline
/// also one error in the pipeline's UI with the result that fails the step, worded with the task / action input the
/// user set ("the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT)"), since that is what they can see and change.
/// </summary>
internal static partial class SetupError
{
    // The secret inputs (task.json / action.yml) and the variables the launcher maps them to; a convention test keeps
    // this equal to the launcher's table.
    private static readonly Dictionary<string, string> SecretInputs = new(StringComparer.Ordinal)
    {
        ["ORCHPREP_SQL_PASSWORD"] = "sqlPassword",
        ["ORCHPREP_WS_USER"] = "wsUser",
        ["ORCHPREP_WS_PASSWORD"] = "wsPassword",
        ["ORCHPREP_SMK_PASSWORD"] = "smkPassword",
    };

    public static async Task<int> ReportAsync(TextWriter stderr, IPipelineHost pipeline, string message)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(pipeline);
        var worded = pipeline is PlainConsoleHost ? message : WithInputNames(message);
        await stderr.WriteLineAsync($"orchprep: {worded}");
        await stderr.FlushAsync(CancellationToken.None);
        pipeline.Fail($"orchprep: {worded}");
        return ExitCodes.UsageOrConfig;
    }

    /// <summary>For the paths that run before RunCommand has its pipeline host: the host, with the well-known secrets registered.</summary>
    public static async Task<int> ReportAsync(CliEnvironment environment, string message)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var session = PipelineSession.Open(environment);
        await using var stderr = new MaskingTextWriter(environment.Error, session.Masker);
        return await ReportAsync(stderr, session.Pipeline, message);
    }

    /// <summary>Each ORCHPREP_&lt;OPTION&gt; variable and --option flag that is a task / action input, named as that input too.</summary>
    public static string WithInputNames(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inputs = InputsByName();
        return NamePattern().Replace(message, m => inputs.TryGetValue(m.Value, out var input) ? $"the input '{input}' ({m.Value})" : m.Value);
    }

    /// <summary>Every run option's variable and flag → its input name (the option's name in camelCase), and the secret inputs.</summary>
    internal static Dictionary<string, string> InputsByName()
    {
        var options = new RunOptions();
        var inputs = new Dictionary<string, string>(SecretInputs, StringComparer.Ordinal);
        foreach (Option option in options.Common.Concat(options.PrepareOnly).Concat(options.ResumeOnly))
        {
            var input = CamelCase(option.Name.TrimStart('-'));
            inputs[RunRequestResolver.EnvName(option)] = input;
            inputs[option.Name] = input;
        }

        return inputs;
    }

    private static string CamelCase(string kebab)
    {
        var parts = kebab.Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    [GeneratedRegex(@"(?<![\w'-])(ORCHPREP_[A-Z0-9_]+|--[a-z][a-z-]*[a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
