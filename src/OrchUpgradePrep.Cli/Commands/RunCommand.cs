using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// check / prepare / resume as a pipeline step: what is refused before anything changes (exit 2), the run itself through
/// <see cref="RunComposition"/> (adapters, Core's steps and engine, the report), then outputs → pipeline host → exit code.
/// Every byte written passes the secret masker; secrets are registered with the pipeline first.
/// </summary>
internal sealed class RunCommand(CliEnvironment environment, RunComposition composition)
{
    private readonly CliEnvironment _environment = environment;

    public async Task<int> ExecuteAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var (masker, pipeline, secretVariables) = PipelineSession.Open(_environment);
        await using var stdout = new MaskingTextWriter(_environment.Out, masker);
        await using var stderr = new MaskingTextWriter(_environment.Error, masker);

        ResolvedEnvironment resolved;
        try
        {
            resolved = await composition.ResolveAsync(request, pipeline, cancellationToken);
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
        await composition.RegisterSecretsAsync(resolved, masker, pipeline, secretVariables, stderr);
        try
        {
            request.Selection.Validate(composition.Catalog);
        }
        catch (ConfigException ex)
        {
            return await SetupError.ReportAsync(stderr, pipeline, ex.Message);
        }

        var environmentName = resolved.Environment.Name;
        var stateStore = new PrepareStateStore(_environment.FileSystem, composition.StateDirectory(request, pipeline, environmentName));
        var stateDirectory = Path.GetDirectoryName(stateStore.Path)!;

        // resume without a state file has nothing to go on: most often a mistyped --output, which must not pass a stage.
        // Said before the folder probe and the lock, which would create the folder. --if-present makes it "nothing to undo" for a cleanup step.
        if (request.Mode == RunMode.Resume && !request.IfPresent && !_environment.FileSystem.File.Exists(stateStore.Path))
        {
            return await SetupError.ReportAsync(stderr, pipeline,
                $"resume: no {PrepareState.FileName} in {stateDirectory}, so nothing records what prepare stopped. " +
                "Pass the --output prepare used; in an always-run cleanup step where prepare may not have run, add --if-present.");
        }

        var outputDirectory = request.OutputDirectory ?? PipelineDefaults.OutputDirectory(pipeline, _environment);
        var outputPath = outputDirectory is null ? null : Path.GetFullPath(outputDirectory, _environment.CurrentDirectory);

        // Every folder the run must write is proven writable before anything changes: a prepare that drained, stopped
        // services and took a backup must not learn at the end that its report or state has nowhere to go.
        if (composition.FolderProblem(request.Mode, outputPath, stateDirectory) is { } folderProblem)
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
                runLock = PrepareLock.Acquire(_environment.FileSystem, stateDirectory, environmentName, WireNames.Of(request.Mode), _environment.Time.GetUtcNow());
            }
            catch (PrepareLockedException ex)
            {
                return await SetupError.ReportAsync(stderr, pipeline, ex.Message);
            }
        }

        using var heldLock = runLock;
        var report = await composition.RunAsync(resolved, request, stateStore, masker, stderr, cancellationToken);
        var backup = report.Backup;

        // Outputs are written even when cancelled: the partial report is what the admin needs.
        var outputs = new ReportOutputs(_environment.FileSystem, masker);
        var delivery = new ReportDelivery(_environment);
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
            files = await delivery.DeliverElsewhereAsync(report, outputs, undelivered, outputPath!, environmentName, stderr);
        }

        // report.md's text, rendered at most once (--publish-check-run needs it, with or without --output).
        string? markdown = files?.Markdown;
        string Markdown() => markdown ??= ReportDelivery.RenderMarkdown(outputs, report);

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
            if (!await ReportDelivery.PublishCheckRunAsync(destination, ReportRedactor.Redact(report, masker), masker.Mask(Markdown()), stderr, cancellationToken))
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
}
