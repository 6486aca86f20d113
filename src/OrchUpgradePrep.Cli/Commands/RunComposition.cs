using System.Reflection;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Prepare.State;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// One composition for check, prepare, resume and the gate's check: resolves the environment to its adapters (the
/// sandbox through <see cref="ISandboxLauncher"/>, its world kept by <see cref="SandboxWorldStore"/>), gives the mode's
/// steps their real work (<see cref="RunSteps"/>) in the order Core's catalog sets (<see cref="CheckSteps"/>,
/// <see cref="PrepareSteps"/>, <see cref="ResumeSteps"/>), runs them through Core's <see cref="RunEngine"/> (which owns
/// cancellation and --deadline) and returns the report. Writing it anywhere is the caller's: <see cref="RunCommand"/>
/// renders it and tells the pipeline, the gate keeps it for the approver (docs/adr/0017-gate-project-and-one-run-composition.md).
/// </summary>
internal sealed class RunComposition(CliEnvironment cli, ISandboxLauncher sandboxes)
{
    /// <summary>Every check; --only/--skip are validated against it.</summary>
    public IReadOnlyList<ICheck> Catalog { get; } = CheckCatalog.CreateAll();

    /// <summary>The environment and its adapters. prepare and resume against the sandbox continue one simulated world,
    /// kept beside the state file (check keeps none). Throws <see cref="ConfigException"/> for a setup mistake.</summary>
    public Task<ResolvedEnvironment> ResolveAsync(RunRequest request, IPipelineHost pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var world = request.SandboxScenario is not null && request.Mode != RunMode.Check
            ? new SandboxWorldStore(cli.FileSystem, StateDirectory(request, pipeline, SandboxSession.EnvironmentName))
            : null;
        return EnvironmentResolver.ResolveAsync(request, cli, sandboxes, world, cancellationToken);
    }

    /// <summary>
    /// The config's secret variables join the masker and the pipeline's secrets before anything names them; the backup
    /// folder is data (orchprep writes into it, messages keep it whole); a secret masking cannot serve well is said on
    /// stderr by its variable's name, never its value.
    /// </summary>
    public async Task RegisterSecretsAsync(ResolvedEnvironment resolved, SecretMasker masker, IPipelineHost pipeline, IEnumerable<SecretVariable> wellKnown, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(masker);
        ArgumentNullException.ThrowIfNull(pipeline);
        // A config variable that is also a well-known one (the sandbox's password) is registered once, not twice.
        var configVariables = SecretEnvironment.ConfigVariables(resolved.Environment, cli.GetEnvironmentVariable).ToList();
        var configSecrets = configVariables.Select(v => v.Value).Distinct(StringComparer.Ordinal)
            .Except(masker.Secrets, StringComparer.Ordinal).ToList();
        foreach (var secret in configSecrets)
        {
            masker.Add(secret);
        }

        pipeline.RegisterSecrets(configSecrets);
        masker.AddData(resolved.Environment.Policies.Backup.Directory);
        OutputWord[] words =
        [
            new("the tool's name", PipelineSession.ToolName, IsData: true),
            new("the environment's name", resolved.Environment.Name, IsData: false),
            .. resolved.Environment.Hosts.Select(h => new OutputWord("a host's name", h.Name, IsData: false)),
        ];
        foreach (var warning in SecretWarnings.For(wellKnown.Concat(configVariables), words))
        {
            await stderr.WriteLineAsync(warning);
        }
    }

    /// <summary>Where prepare-state.json lives: the output folder, the pipeline's, or ./.orchprep/&lt;environment&gt;.</summary>
    public string StateDirectory(RunRequest request, IPipelineHost pipeline, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Path.GetFullPath(
            request.OutputDirectory ?? PipelineDefaults.OutputDirectory(pipeline, cli) ?? Path.Combine(".orchprep", environmentName),
            cli.CurrentDirectory);
    }

    /// <summary>The folder the run must write that cannot take its files (exit 2 before any change), or null. prepare and
    /// resume keep their state in the output folder when there is one (else ./.orchprep/&lt;environment&gt;).</summary>
    public string? FolderProblem(RunMode mode, string? outputPath, string stateDirectory)
    {
        var folder = mode == RunMode.Check ? outputPath : stateDirectory;
        if (folder is null)
        {
            return null;
        }

        var names = ReportFileWriter.NamesFor(mode);
        string[] reportFiles = outputPath is null ? [] : [names.Json, names.Markdown, names.JUnit];
        string[] stateFiles = mode == RunMode.Check ? [] : [PrepareState.FileName, PrepareLock.FileName];
        return OutputFolderProbe.Problem(cli.FileSystem, folder, [.. reportFiles, .. stateFiles]);
    }

    /// <summary>Runs the mode's steps through the engine and returns the report (outputs are the caller's). A cancelled run
    /// returns its partial report.</summary>
    public async Task<Report> RunAsync(ResolvedEnvironment resolved, RunRequest request, PrepareStateStore stateStore, SecretMasker masker, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(request);
        var environment = resolved.Environment;
        var target = resolved.Target;
        // What the requirement checks judge against: the level the config or --target named, else the newest known.
        var targetLevel = TargetLevels.Of(target, environment.Target == target ? environment.TargetUpdateRollup : null).Name;
        var startedAt = cli.Time.GetUtcNow();
        BackupSummary? backup = null;

        // The steps and what each needs; which of them start, and in what order, is Core's (Catalog/, Engine/).
        var runSteps = new RunSteps(cli, resolved, request, stderr);
        var steps = request.Mode switch
        {
            RunMode.Resume => ResumeSteps.InOrder(runSteps.ReadState(stateStore), runSteps.StartAgain(stateStore)),
            RunMode.Prepare => PrepareSteps.InOrder(
                runSteps.ClosePrograms(),
                runSteps.Runbooks(stateStore),
                runSteps.Backup(masker, summary => backup = summary),
                runSteps.Checks(Catalog, targetLevel)),
            _ => CheckSteps.InOrder(runSteps.Checks(Catalog, targetLevel)),
        };
        var ran = await new RunEngine(environment.Name, cli.Time, request.Deadline).RunAsync(steps, cancellationToken);
        var results = ran.Checks;
        var notes = new List<string>(ran.Notes);

        if (resolved is { Sandbox: { } sandbox, SandboxWorld: { } world })
        {
            await world.SaveAsync(sandbox);
        }

        if (request.Selection.Only.Count > 0)
        {
            notes.Add($"Only these checks were selected: {string.Join(", ", request.Selection.Only)}.");
        }

        if (request.FailOnWarning && results.Any(r => r.Status == CheckStatus.Warning))
        {
            notes.Add($"--fail-on-warning: {results.Count(r => r.Status == CheckStatus.Warning)} warning(s) count as unmet.");
        }

        return new Report
        {
            Tool = new ToolInfo("orchprep", ToolVersion()),
            Mode = request.Mode,
            Environment = environment.Name,
            Target = target.ToName(),
            TargetLevel = targetLevel,
            Outcome = Report.Decide(results, ran.Cancelled || cancellationToken.IsCancellationRequested, request.FailOnWarning),
            StartedAt = startedAt,
            FinishedAt = cli.Time.GetUtcNow(),
            Checks = results,
            Actions = ran.Actions,
            Backup = backup,
            Notes = notes,
        };
    }

    /// <summary>The version without the commit (report.json's tool.version; the gate's health endpoint).</summary>
    internal static string ToolVersion() =>
        typeof(RunComposition).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
