using System.Globalization;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;

namespace OrchUpgradePrep.Cli.Commands.Gate;

/// <summary>
/// The gate's check: the same `orchprep check` as the CLI, in process, with its report files kept under the work folder
/// (one folder per run, so an approver can read what was decided). Pipeline detection is switched off: the service is
/// not a pipeline step, even when it runs inside one.
/// </summary>
internal sealed class CliGateCheck : IGateCheck
{
    private readonly CliEnvironment _environment;
    private readonly string? _configPath;
    private readonly string _workDirectory;

    public CliGateCheck(CliEnvironment environment, string? configPath, string workDirectory)
    {
        _environment = environment;
        _configPath = configPath;
        _workDirectory = workDirectory;
    }

    public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
    {
        var stamp = _environment.Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        var output = Path.Combine(_workDirectory, SafeName(environment.PipelineName), stamp);
        using var errors = new StringWriter();
        var cli = _environment with
        {
            Out = TextWriter.Null,
            Error = errors,
            GetEnvironmentVariable = name => name is "TF_BUILD" or "GITHUB_ACTIONS" ? null : _environment.GetEnvironmentVariable(name),
            IsInteractiveTerminal = false,
        };
        var request = new RunRequest
        {
            Mode = RunMode.Check,
            ConfigPath = environment.SandboxScenario is null ? _configPath : null,
            Environment = environment.ConfigEnvironment,
            SandboxScenario = environment.SandboxScenario,
            Formats = [],
            OutputDirectory = output,
        };

        Report? report = null;
        var markdown = string.Empty;
        var exit = await new RunCommand(cli, (r, md) => (report, markdown) = (r, md)).ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            // RunCommand masks what it writes to stderr, so the reason can be shown.
            var reason = errors.ToString().Trim();
            return GateCheckResult.Failed(environment.ToString(), $"orchprep check ended with exit code {exit} without a report{(reason.Length > 0 ? ": " + reason : ".")}");
        }

        return new GateCheckResult(report.Outcome, report, markdown);
    }

    private static string SafeName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
