using System.Globalization;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands.Gate;

/// <summary>
/// The gate's check: the same check as `orchprep check`, through the same <see cref="RunComposition"/> and Core engine, in
/// process, with its report files kept under the work folder (one folder per run, so an approver can read what was
/// decided). It is no pipeline step, even when the service runs inside one: plain output, no pipeline outputs.
/// </summary>
internal sealed class CliGateCheck : IGateCheck
{
    private readonly CliEnvironment _environment;
    private readonly string? _configPath;
    private readonly string _workDirectory;
    private readonly ISandboxLauncher _sandboxes;

    /// <param name="sandboxes">Starts the sandbox of an environment mapped to sandbox:&lt;scenario&gt;; null = the product's.</param>
    public CliGateCheck(CliEnvironment environment, string? configPath, string workDirectory, ISandboxLauncher? sandboxes = null)
    {
        _environment = environment;
        _configPath = configPath;
        _workDirectory = workDirectory;
        _sandboxes = sandboxes ?? new SandboxLauncher();
    }

    public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
    {
        var stamp = _environment.Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        var output = Path.Combine(_workDirectory, SafeName(environment.PipelineName), stamp);
        var cli = _environment with
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
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

        var (masker, pipeline, secretVariables) = PipelineSession.Open(cli);
        var composition = new RunComposition(cli, _sandboxes);
        // What the check says on the way (progress, secret warnings) is masked and kept: a setup mistake is the gate's reason.
        using var said = new StringWriter(CultureInfo.InvariantCulture);
        await using var errors = new MaskingTextWriter(said, masker);
        string NoReport(int exit)
        {
            errors.Flush();
            var reason = said.ToString().Trim();
            return $"orchprep check ended with exit code {exit} without a report{(reason.Length > 0 ? ": " + reason : ".")}";
        }

        async Task<GateCheckResult> SetupFailed(string message)
        {
            await errors.WriteLineAsync($"orchprep: {message}");
            return GateCheckResult.Failed(environment.ToString(), NoReport(ExitCodes.UsageOrConfig));
        }

        ResolvedEnvironment resolved;
        try
        {
            resolved = await composition.ResolveAsync(request, pipeline, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            return await SetupFailed(ex.Message);
        }
        catch (OperationCanceledException)
        {
            return GateCheckResult.Failed(environment.ToString(), NoReport(ExitCodes.Cancelled));
        }

        await using var owned = resolved;
        await composition.RegisterSecretsAsync(resolved, masker, pipeline, secretVariables, errors);
        try
        {
            request.Selection.Validate(composition.Catalog);
        }
        catch (ConfigException ex)
        {
            return await SetupFailed(ex.Message);
        }

        var outputPath = Path.GetFullPath(output, cli.CurrentDirectory);
        if (composition.FolderProblem(RunMode.Check, outputPath, outputPath) is { } folderProblem)
        {
            return await SetupFailed($"{folderProblem} Nothing was checked or changed; choose a folder this account can write (--output).");
        }

        var stateStore = new PrepareStateStore(cli.FileSystem, outputPath);
        var report = await composition.RunAsync(resolved, request, stateStore, masker, errors, cancellationToken).ConfigureAwait(false);

        // The files for the approver; a folder that failed since the probe sends them where `orchprep check` would.
        var outputs = new ReportOutputs(cli.FileSystem, masker);
        ReportFiles? files;
        try
        {
            files = outputs.WriteFiles(report, outputPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            files = await new ReportDelivery(cli).DeliverElsewhereAsync(
                report, outputs, $"the report could not be written to {outputPath}: {ex.Message}", outputPath, resolved.Environment.Name, errors);
        }

        var markdown = files?.Markdown ?? ReportDelivery.RenderMarkdown(outputs, report);
        return new GateCheckResult(report.Outcome, ReportRedactor.Redact(report, masker), markdown);
    }

    private static string SafeName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
