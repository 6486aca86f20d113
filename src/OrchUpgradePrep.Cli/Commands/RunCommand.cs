using System.Reflection;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// check / prepare / resume: config → plan → runner → report → outputs → pipeline host → exit code.
/// Every byte written passes the secret masker; secrets are registered with the pipeline first.
/// </summary>
internal sealed class RunCommand
{
    private readonly CliEnvironment _environment;
    private readonly Action<Report, string>? _reportReady;

    /// <param name="reportReady">Called with the redacted report and its Markdown once they exist (the gate service decides on them).</param>
    public RunCommand(CliEnvironment environment, Action<Report, string>? reportReady = null)
    {
        _environment = environment;
        _reportReady = reportReady;
    }

    public async Task<int> ExecuteAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var (masker, pipeline, secretVariables) = PipelineSession.Open(_environment);
        await using var stdout = new MaskingTextWriter(_environment.Out, masker);
        await using var stderr = new MaskingTextWriter(_environment.Error, masker);

        ResolvedEnvironment resolved;
        try
        {
            // prepare and resume against the sandbox continue one simulated Orchestrator, saved beside the state file, and
            // one simulated server disk there: the backup the report names outlives the run (check writes none).
            var keepsSandbox = request.SandboxScenario is not null && request.Mode != RunMode.Check;
            var sandboxState = keepsSandbox ? StateDirectory(request, pipeline, SandboxSession.EnvironmentName) : null;
            var worldFile = sandboxState is null ? null : Path.Combine(sandboxState, SandboxWorldFile(request.SandboxScenario!));
            var serverDisk = sandboxState is null || _environment.SandboxDirectory is not null ? null : SandboxServerDisk(sandboxState, create: request.Mode == RunMode.Prepare);
            resolved = await EnvironmentResolver.ResolveAsync(request, _environment, worldFile, serverDisk, cancellationToken);
        }
        catch (ConfigException ex)
        {
            return await SetupError.ReportAsync(stderr, pipeline, ex.Message);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }

        await using var owned = resolved;
        // A config variable that is also a well-known one (the sandbox's password) is registered once, not twice.
        var configVariables = SecretEnvironment.ConfigVariables(resolved.Environment, _environment.GetEnvironmentVariable).ToList();
        var configSecrets = configVariables.Select(v => v.Value).Distinct(StringComparer.Ordinal)
            .Except(masker.Secrets, StringComparer.Ordinal).ToList();
        foreach (var secret in configSecrets)
        {
            masker.Add(secret);
        }

        pipeline.RegisterSecrets(configSecrets);
        // The backup folder (config or --backup-dir) is the user's choice and orchprep writes into it: messages naming it keep it whole.
        masker.AddData(resolved.Environment.Policies.Backup.Directory);
        // A secret masking cannot serve well is said by its variable's name, never its value.
        OutputWord[] words =
        [
            new("the tool's name", PipelineSession.ToolName, IsData: true),
            new("the environment's name", resolved.Environment.Name, IsData: false),
            .. resolved.Environment.Hosts.Select(h => new OutputWord("a host's name", h.Name, IsData: false)),
        ];
        foreach (var warning in SecretWarnings.For(secretVariables.Concat(configVariables), words))
        {
            await stderr.WriteLineAsync(warning);
        }

        var catalog = CheckCatalog.CreateAll();
        try
        {
            request.Selection.Validate(catalog);
        }
        catch (ConfigException ex)
        {
            return await SetupError.ReportAsync(stderr, pipeline, ex.Message);
        }

        var environment = resolved.Environment;
        var target = resolved.Target;
        // What the requirement checks judge against: the level the config or --target named, else the newest known.
        var targetLevel = TargetLevels.Of(target, environment.Target == target ? environment.TargetUpdateRollup : null).Name;
        var startedAt = _environment.Time.GetUtcNow();
        var notes = new List<string>();
        BackupSummary? backup = null;

        var stateStore = new PrepareStateStore(_environment.FileSystem, StateDirectory(request, pipeline, environment.Name));

        // resume without a state file has nothing to go on: most often a mistyped --output, which must not pass a stage.
        // Said before the folder probe and the lock, which would create the folder. --if-present makes it "nothing to undo" for a cleanup step.
        if (request.Mode == RunMode.Resume && !request.IfPresent && !_environment.FileSystem.File.Exists(stateStore.Path))
        {
            return await SetupError.ReportAsync(stderr, pipeline,
                $"resume: no {PrepareState.FileName} in {Path.GetDirectoryName(stateStore.Path)}, so nothing records what prepare stopped. " +
                "Pass the --output prepare used; in an always-run cleanup step where prepare may not have run, add --if-present.");
        }

        var outputDirectory = request.OutputDirectory ?? PipelineDefaults.OutputDirectory(pipeline, _environment);
        var outputPath = outputDirectory is null ? null : Path.GetFullPath(outputDirectory, _environment.CurrentDirectory);

        // Every folder the run must write is proven writable before anything changes: a prepare that drained, stopped
        // services and took a backup must not learn at the end that its report or state has nowhere to go.
        if (FolderProblem(request.Mode, outputPath, Path.GetDirectoryName(stateStore.Path)!) is { } folderProblem)
        {
            return await SetupError.ReportAsync(stderr, pipeline, $"{folderProblem} Nothing was checked or changed; choose a folder this account can write (--output).");
        }

        // One prepare or resume per environment at a time; a second is refused before it changes or writes anything
        // (exit 2, like a config error: no verdict, no report, since the running one owns the output folder).
        PrepareLock? runLock = null;
        if (request.Mode != RunMode.Check)
        {
            try
            {
                runLock = PrepareLock.Acquire(_environment.FileSystem, Path.GetDirectoryName(stateStore.Path)!, environment.Name, WireNames.Of(request.Mode), _environment.Time.GetUtcNow());
            }
            catch (PrepareLockedException ex)
            {
                return await SetupError.ReportAsync(stderr, pipeline, ex.Message);
            }
        }

        using var heldLock = runLock;
        // The steps and what each needs; which of them start, and in what order, is the engine's (Core, tested on its own).
        var runSteps = new RunSteps(_environment, resolved, request, stderr);
        IReadOnlyList<RunStep> steps = request.Mode switch
        {
            RunMode.Resume => [runSteps.Resume(stateStore)],
            RunMode.Prepare => PrepareSteps.InOrder(
                runSteps.ClosePrograms(),
                runSteps.Runbooks(stateStore),
                runSteps.Backup(masker, summary => backup = summary),
                runSteps.Checks(catalog, targetLevel)),
            _ => [runSteps.Checks(catalog, targetLevel)],
        };
        var ran = await new RunEngine(environment.Name, _environment.Time).RunAsync(steps, cancellationToken);
        var results = ran.Checks;
        notes.AddRange(ran.Notes);

        if (resolved.Sandbox is not null && request.Mode != RunMode.Check)
        {
            await resolved.Sandbox.SaveWorldAsync(Path.Combine(Path.GetDirectoryName(stateStore.Path)!, SandboxWorldFile(resolved.Sandbox.Scenario)), CancellationToken.None);
        }

        if (request.Selection.Only.Count > 0)
        {
            notes.Add($"Only these checks were selected: {string.Join(", ", request.Selection.Only)}.");
        }

        if (request.FailOnWarning && results.Any(r => r.Status == CheckStatus.Warning))
        {
            notes.Add($"--fail-on-warning: {results.Count(r => r.Status == CheckStatus.Warning)} warning(s) count as unmet.");
        }

        var report = new Report
        {
            Tool = new ToolInfo("orchprep", ToolVersion()),
            Mode = request.Mode,
            Environment = environment.Name,
            Target = target.ToName(),
            TargetLevel = targetLevel,
            Outcome = Report.Decide(results, ran.Cancelled || cancellationToken.IsCancellationRequested, request.FailOnWarning),
            StartedAt = startedAt,
            FinishedAt = _environment.Time.GetUtcNow(),
            Checks = results,
            Actions = ran.Actions,
            Backup = backup,
            Notes = notes,
        };

        // Outputs are written even when cancelled: the partial report is what the admin needs.
        var outputs = new ReportOutputs(_environment.FileSystem, masker);
        ReportFiles? files = null;
        string? undelivered = null;
        if (outputPath is not null)
        {
            try
            {
                files = outputs.WriteFiles(report, outputPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // The folder passed the probe and failed since (disk full, removed, permissions changed): the verdict and
                // what prepare did must still reach the admin, the log and the pipeline.
                undelivered = $"the report could not be written to {outputPath}: {ex.Message}";
            }
        }

        foreach (var format in request.Formats)
        {
            pipeline.WriteData(stdout, w => outputs.Render(report, format, w, _environment.IsInteractiveTerminal, request.Verbosity));
        }

        if (undelivered is not null)
        {
            await stdout.FlushAsync(CancellationToken.None);
            files = await DeliverElsewhereAsync(report, outputs, undelivered, outputPath!, environment.Name, stderr);
        }

        // report.md's text, rendered at most once (the gate and --publish-check-run both need it, with or without --output).
        string? markdown = files?.Markdown;
        string Markdown() => markdown ??= RenderMarkdown(outputs, report);
        if (_reportReady is not null)
        {
            _reportReady(ReportRedactor.Redact(report, masker), Markdown());
        }

        await stdout.FlushAsync(CancellationToken.None);
        foreach (var check in report.Checks)
        {
            pipeline.Annotate(check);
        }

        // Output names are the task.json outputVariables and action.yml outputs (a convention test keeps them equal).
        // A backup is named only once verification proved it: a later stage must never pick up one that failed.
        pipeline.SetOutput("outcome", WireNames.Of(report.Outcome));
        if (backup is { Files.Count: > 0 } && backup.Verified != VerifiedLevel.None && backup.Files[0] is var backupFile)
        {
            pipeline.SetOutput("backupPath", backupFile.Path);
            pipeline.SetOutput("backupSha256", backupFile.Sha256);
        }

        if (files is not null)
        {
            pipeline.SetOutput("reportPath", files.JsonPath);
            pipeline.PublishSummary(files.MarkdownPath, files.Markdown);
            pipeline.PublishTestResults(files.JUnitPath);
        }

        // What did not arrive where it was asked for. A met run with any of it is not a green step (exit 3): the reason
        // replaces the verdict's result, though the verdict itself is on the console and in the fallback folder.
        var notDelivered = new List<string>();
        if (undelivered is not null)
        {
            notDelivered.Add(files is null ? undelivered : $"{undelivered}; it is in {files.Directory}");
        }

        if (request.PublishCheckRun is { } destination)
        {
            masker.Add(destination.Token);
            // Masked again: the token joined the masker after the Markdown was written.
            if (!await PublishCheckRunAsync(destination, ReportRedactor.Redact(report, masker), masker.Mask(Markdown()), stderr, cancellationToken))
            {
                notDelivered.Add("the check run asked for (--publish-check-run) could not be published");
            }
        }

        // Later jobs read the outputs: a met run they cannot see is not green either.
        notDelivered.AddRange(pipeline.DeliveryProblems);
        var failedDelivery = report.Outcome == RunOutcome.Met && notDelivered.Count > 0
            ? $"orchprep: all prerequisites met, but {string.Join("; ", notDelivered)}."
            : null;
        var exitCode = failedDelivery is null ? ExitCodes.For(report.Outcome) : ExitCodes.CouldNotEvaluate;
        if (failedDelivery is null)
        {
            pipeline.Complete(report.Outcome);
        }
        else
        {
            pipeline.Fail(failedDelivery);
        }

        if (files is not null)
        {
            await stderr.WriteLineAsync($"orchprep: report written to {files.Directory}");
        }

        await stderr.FlushAsync(CancellationToken.None);
        return exitCode;
    }

    /// <summary>The folder the run must write that cannot take its files (exit 2 before any change), or null. prepare and
    /// resume keep their state in the output folder when there is one (else ./.orchprep/&lt;environment&gt;).</summary>
    private string? FolderProblem(RunMode mode, string? outputPath, string stateDirectory)
    {
        var folder = mode == RunMode.Check ? outputPath : stateDirectory;
        if (folder is null)
        {
            return null;
        }

        var names = ReportFileWriter.NamesFor(mode);
        string[] reportFiles = outputPath is null ? [] : [names.Json, names.Markdown, names.JUnit];
        string[] stateFiles = mode == RunMode.Check ? [] : [PrepareState.FileName, PrepareLock.FileName];
        return OutputFolderProbe.Problem(_environment.FileSystem, folder, [.. reportFiles, .. stateFiles]);
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);

    /// <summary>
    /// The report files failed: the verdict, the backup (path, SHA-256) and every action go to stderr, and the files to the
    /// first fallback folder that takes them (./.orchprep/&lt;environment&gt;/undelivered, then the temp folder), so the
    /// pipeline outputs and summary still point at real files. Returns those files, or null when no folder took them.
    /// </summary>
    private async Task<ReportFiles?> DeliverElsewhereAsync(Report report, ReportOutputs outputs, string problem, string outputPath, string environmentName, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"orchprep: {problem}");
        VerdictSummary.Write(report, stderr);
        foreach (var fallback in FallbackFolders(environmentName).Where(f => !SameFolder(f, outputPath)))
        {
            try
            {
                var files = outputs.WriteFiles(report, fallback);
                await stderr.WriteLineAsync($"orchprep: the report was written instead to {files.Directory}");
                return files;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                await stderr.WriteLineAsync($"orchprep: nor could it be written to {fallback}: {ex.Message}");
            }
        }

        await stderr.WriteLineAsync("orchprep: no folder took the report; the lines above are the whole record of this run: keep this log.");
        return null;
    }

    private IEnumerable<string> FallbackFolders(string environmentName)
    {
        var stamp = BackupFileNames.Stamp(_environment.Time.GetUtcNow());
        yield return Path.GetFullPath(Path.Combine(".orchprep", environmentName, "undelivered-" + stamp), _environment.CurrentDirectory);
        yield return Path.Combine(Path.GetTempPath(), $"orchprep-{environmentName}-undelivered-{stamp}");
    }

    /// <summary>--publish-check-run: the report as a check run on GITHUB_SHA, through the gate's publisher. False when it failed (said on stderr).</summary>
    private async Task<bool> PublishCheckRunAsync(CheckRunDestination destination, Report report, string markdown, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var client = new GitHubApi(destination.ApiUrl).Client(new Octokit.Credentials(destination.Token, Octokit.AuthenticationType.Bearer));
            var run = await new CheckRunPublisher(client).PublishAsync(
                new CheckRunTarget(destination.Owner, destination.Repository, destination.Sha),
                $"orchprep {WireNames.Of(report.Mode)} ({report.Environment})",
                report,
                markdown,
                report.Outcome == RunOutcome.Met,
                cancellationToken);
            await stderr.WriteLineAsync($"orchprep: check run published on {destination.Owner}/{destination.Repository}@{destination.Sha}: {run.HtmlUrl}");
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"orchprep: the check run could not be published on {destination.Owner}/{destination.Repository}@{destination.Sha}: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    private static string RenderMarkdown(ReportOutputs outputs, Report report)
    {
        using var writer = new StringWriter();
        outputs.Render(report, OutputFormat.Markdown, writer, interactive: false);
        return writer.ToString();
    }

    /// <summary>The simulated SQL Server's kept disk, beside prepare-state.json (docs/outputs.md).</summary>
    internal const string SandboxServerDiskFolder = "sandbox-server";

    /// <summary>The kept disk, created by prepare; null when it cannot be (the sandbox then uses its temp folder, and the
    /// folder probe refuses the run before anything changes, exit 2, when the state folder is not writable). resume only
    /// continues one prepare made: it writes no backup, and must not create the folder it may find no state in.</summary>
    private string? SandboxServerDisk(string stateDirectory, bool create)
    {
        var folder = Path.Combine(stateDirectory, SandboxServerDiskFolder);
        if (!create)
        {
            return _environment.FileSystem.Directory.Exists(folder) ? folder : null;
        }

        try
        {
            _environment.FileSystem.Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One saved world per scenario: a busy world must not turn up in a later healthy run.</summary>
    private static string SandboxWorldFile(string scenario) => $"sandbox-world-{scenario.ToLowerInvariant()}.json";

    /// <summary>Where prepare-state.json lives: the output folder, the pipeline's, or ./.orchprep/&lt;environment&gt;.</summary>
    private string StateDirectory(RunRequest request, IPipelineHost pipeline, string environmentName) =>
        Path.GetFullPath(
            request.OutputDirectory ?? PipelineDefaults.OutputDirectory(pipeline, _environment) ?? Path.Combine(".orchprep", environmentName),
            _environment.CurrentDirectory);

    /// <summary>The version without the commit (report.json's tool.version; the gate's health endpoint).</summary>
    internal static string ToolVersion() =>
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
