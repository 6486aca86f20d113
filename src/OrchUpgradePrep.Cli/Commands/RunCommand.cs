using System.Reflection;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Prepare.Backup;
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
        IReadOnlyList<CheckResult> stepResults = [];
        var actions = new List<ActionRecord>();
        BackupSummary? backup = null;
        var cancelled = false;

        if (request.Mode == RunMode.Resume)
        {
            notes.Add("Nothing to resume: this version's prepare blocks nothing (blocking new runbook starts comes with the runbooks prerequisite).");
        }
        else
        {
            if (request.Mode == RunMode.Prepare)
            {
                var prepared = await PrepareBackupAsync(resolved, request, stderr, masker, cancellationToken);
                stepResults = prepared.Checks;
                actions.AddRange(prepared.Actions);
                backup = prepared.Summary;
                cancelled |= prepared.Cancelled;
                notes.Add("prepare: draining runbooks and blocking new starts are not available in this version yet (they come with the runbooks prerequisite).");
            }

            // Checks whose verdict prepare's steps already gave are not run twice (e.g. free space after the backup took it).
            var stepIds = stepResults.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var plan = CheckPlanner.Plan(catalog.Where(c => !stepIds.Contains(c.Id)), environment, request.Selection);
            var hostCount = plan.Select(p => p.HostLabel).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            await stderr.WriteLineAsync(
                $"orchprep {WireNames.Of(request.Mode)}: environment '{environment.Name}', target {target.ToName()}, {plan.Count} checks on {hostCount} hosts");
            await stderr.FlushAsync(CancellationToken.None);

            var runner = new CheckRunner(
                new CheckRunnerOptions { MaxParallelism = request.MaxParallelism, CheckTimeout = request.CheckTimeout },
                resolved.HostFacts,
                _environment.Time,
                resolved.Sql,
                _environment.FileSystem);
            var run = cancelled
                ? new CheckRunResult([], true)
                : await runner.RunAsync(plan, environment, target, new SlowRunProgress(stderr, _environment.Time, plan.Count), cancellationToken);
            results = [.. stepResults, .. run.Results];
            cancelled |= run.Cancelled;
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
            Actions = actions,
            Backup = backup,
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

    /// <summary>prepare's backup step; without a sql: section there is nothing to back up (said in an action, not hidden).</summary>
    private async Task<BackupPreparationResult> PrepareBackupAsync(
        ResolvedEnvironment resolved, RunRequest request, TextWriter stderr, SecretMasker masker, CancellationToken cancellationToken)
    {
        var environment = resolved.Environment;
        if (resolved.Sql is null || environment.Sql is null)
        {
            return new BackupPreparationResult([], [new ActionRecord("backup", environment.Name, "skipped", "not configured: the environment has no sql: section")], null, false);
        }

        if (request.Selection.Only.Count > 0 && !request.Selection.Only.Any(id => id == "backup" || id.StartsWith("backup.", StringComparison.Ordinal)))
        {
            return new BackupPreparationResult([], [new ActionRecord("backup", environment.Name, "skipped", "--only selects no backup.* check")], null, false);
        }

        var smkPassword = _environment.GetEnvironmentVariable(SecretEnvironment.ServiceMasterKeyPassword);
        if (!string.IsNullOrEmpty(smkPassword))
        {
            masker.Add(smkPassword);
        }

        var preparation = new BackupPreparation(resolved.Sql, _environment.FileSystem, _environment.Time, new BackupPreparationOptions
        {
            EnvironmentName = environment.Name,
            Sql = environment.Sql,
            Policy = environment.Policies.Backup,
            Verify = environment.Policies.Verify,
            Target = resolved.Target,
            ServiceMasterKeyPassword = smkPassword,
        });
        return await preparation.RunAsync(new BackupProgressWriter(stderr, _environment.IsInteractiveTerminal), cancellationToken);
    }

    private static string ToolVersion() =>
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
