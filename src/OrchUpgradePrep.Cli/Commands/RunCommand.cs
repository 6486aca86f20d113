using System.Reflection;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Runner;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// check / prepare / resume: config → plan → runner → report → outputs → pipeline host → exit code.
/// Every byte written passes the secret masker; secrets are registered with the pipeline first.
/// </summary>
internal sealed class RunCommand
{
    private readonly CliEnvironment _environment;

    public RunCommand(CliEnvironment environment) => _environment = environment;

    public async Task<int> ExecuteAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var masker = new SecretMasker();
        foreach (var secret in SecretEnvironment.WellKnownSecrets(_environment.GetEnvironmentVariable))
        {
            masker.Add(secret);
        }

        await using var stdout = new MaskingTextWriter(_environment.Out, masker);
        await using var stderr = new MaskingTextWriter(_environment.Error, masker);
        var pipeline = PipelineHostDetector.Detect(_environment.GetEnvironmentVariable, _environment.Out, _environment.FileSystem, masker);
        pipeline.RegisterSecrets(masker.Secrets);

        ResolvedEnvironment resolved;
        try
        {
            resolved = await EnvironmentResolver.ResolveAsync(request, _environment, cancellationToken);
        }
        catch (ConfigException ex)
        {
            await stderr.WriteLineAsync($"orchprep: {ex.Message}");
            await stderr.FlushAsync(CancellationToken.None);
            return ExitCodes.UsageOrConfig;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }

        await using var sandbox = resolved.Sandbox;
        var configSecrets = SecretEnvironment.ConfigSecrets(resolved.Environment, _environment.GetEnvironmentVariable).ToList();
        foreach (var secret in configSecrets)
        {
            masker.Add(secret);
        }

        pipeline.RegisterSecrets(configSecrets);

        var catalog = CheckCatalog.CreateAll();
        try
        {
            request.Selection.Validate(catalog);
        }
        catch (ConfigException ex)
        {
            await stderr.WriteLineAsync($"orchprep: {ex.Message}");
            return ExitCodes.UsageOrConfig;
        }

        var environment = resolved.Environment;
        var target = resolved.Target;
        var startedAt = _environment.Time.GetUtcNow();
        var notes = new List<string>();
        IReadOnlyList<CheckResult> results = [];
        var cancelled = false;

        if (request.Mode == RunMode.Resume)
        {
            notes.Add("Nothing to resume: this version's prepare blocks nothing (blocking new runbook starts comes with the runbooks prerequisite).");
        }
        else
        {
            if (request.Mode == RunMode.Prepare)
            {
                notes.Add("prepare: these preparation steps are not available in this version yet: drain runbooks, block new runbook starts, " +
                          "back up and verify the Orchestrator database, save keys and settings (they come with the runbooks and backup prerequisites). " +
                          "Nothing was changed; the checks below ran as in check mode.");
            }

            var plan = CheckPlanner.Plan(catalog, environment, request.Selection);
            var hostCount = plan.Select(p => p.HostLabel).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            await stderr.WriteLineAsync(
                $"orchprep {WireNames.Of(request.Mode)}: environment '{environment.Name}', target {target.ToName()}, {plan.Count} checks on {hostCount} hosts");
            await stderr.FlushAsync(CancellationToken.None);

            var runner = new CheckRunner(
                new CheckRunnerOptions { MaxParallelism = request.MaxParallelism, CheckTimeout = request.CheckTimeout },
                resolved.HostFacts,
                _environment.Time,
                resolved.Sql);
            var run = await runner.RunAsync(plan, environment, target, new SlowRunProgress(stderr, _environment.Time, plan.Count), cancellationToken);
            results = run.Results;
            cancelled = run.Cancelled;
        }

        if (request.Selection.Only.Count > 0)
        {
            notes.Add($"Only these checks were selected: {string.Join(", ", request.Selection.Only)}.");
        }

        var report = new Report
        {
            Tool = new ToolInfo("orchprep", ToolVersion()),
            Mode = request.Mode,
            Environment = environment.Name,
            Target = target.ToName(),
            Outcome = Report.Decide(results, cancelled || cancellationToken.IsCancellationRequested),
            StartedAt = startedAt,
            FinishedAt = _environment.Time.GetUtcNow(),
            Checks = results,
            Notes = notes,
        };

        // Outputs are written even when cancelled: the partial report is what the admin needs.
        var outputs = new ReportOutputs(_environment.FileSystem, masker);
        var outputDirectory = request.OutputDirectory ?? PipelineDefaults.OutputDirectory(pipeline, _environment);
        ReportFiles? files = null;
        if (outputDirectory is not null)
        {
            files = outputs.WriteFiles(report, Path.GetFullPath(outputDirectory, _environment.CurrentDirectory));
        }

        foreach (var format in request.Formats)
        {
            pipeline.WriteData(stdout, w => outputs.Render(report, format, w, _environment.IsInteractiveTerminal));
        }

        await stdout.FlushAsync(CancellationToken.None);
        foreach (var check in report.Checks)
        {
            pipeline.Annotate(check);
        }

        pipeline.SetOutput("outcome", WireNames.Of(report.Outcome));
        if (files is not null)
        {
            pipeline.SetOutput("report-path", files.JsonPath);
            pipeline.PublishSummary(files.MarkdownPath, files.Markdown);
            pipeline.PublishTestResults(files.JUnitPath);
        }

        pipeline.Complete(report.Outcome);
        if (files is not null)
        {
            await stderr.WriteLineAsync($"orchprep: report written to {files.Directory}");
        }

        await stderr.FlushAsync(CancellationToken.None);
        return ExitCodes.For(report.Outcome);
    }

    private static string ToolVersion() =>
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
