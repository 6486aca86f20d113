using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// prepare stops the Runbook Service on every runbook server, so the example pipelines must run resume on every path
/// where the upgrade did not complete. These tests run each branch through the examples' own conditions, evaluated as
/// Azure Pipelines and GitHub Actions document them (see the evaluators), and count the resume runs.
/// </summary>
public sealed partial class ExampleFailurePathTests
{
    private const string Env = "prod";

    // ---- Azure Pipelines ----------------------------------------------------------------------------------------

    private static Dictionary<string, YamlMappingNode> AzureStages()
    {
        // Template parameters are compile-time (${{ }}): substituted here as Azure would before any condition runs.
        var text = File.ReadAllText(RepositoryPaths.Of("examples/azure-pipelines/templates/orchestrator-upgrade-stages.yml"))
            .Replace("${{ parameters.environment }}", Env, StringComparison.Ordinal)
            .Replace("${{ parameters.pool }}", "Orchestrator", StringComparison.Ordinal)
            .Replace("${{ parameters.target }}", "2022", StringComparison.Ordinal);
        var stages = (YamlSequenceNode)Load(text).Children[new YamlScalarNode("stages")];
        return stages.Children.Cast<YamlMappingNode>().ToDictionary(s => Scalar(s, "stage")!);
    }

    /// <summary>One run of the template for one environment; returns each stage's result and how often resume ran.</summary>
    /// <param name="preflight">The Preflight stage's result (prepare exits 1 on unmet: Failed).</param>
    /// <param name="upgradeIfStarted">The Upgrade stage's result if its condition lets it start (checks then decide).</param>
    /// <param name="canceledBeforeUpgrade">Cancelled while the preflight ran: the Upgrade condition sees a cancelled run.</param>
    /// <param name="canceledDuringUpgrade">Cancelled after the Upgrade stage started (waiting for approval or upgrading).</param>
    /// <param name="upgradeResumeRan">Whether the Upgrade stage's own resume step ran (false when an earlier step failed).</param>
    private static (string Upgrade, bool UndoRan, int ResumeRuns) RunAzure(
        string preflight, string upgradeIfStarted, bool canceledBeforeUpgrade, bool canceledDuringUpgrade, bool upgradeResumeRan, string outcome = "met")
    {
        var stages = AzureStages();
        var results = new Dictionary<string, string> { [$"Preflight_{Env}"] = preflight };

        var upgradeStage = stages[$"Upgrade_{Env}"];
        var upgradeStarts = AzureConditionEvaluator.Evaluate(Scalar(upgradeStage, "condition"), new(canceledBeforeUpgrade, DependencyResults(upgradeStage, results)));
        results[$"Upgrade_{Env}"] = upgradeStarts ? upgradeIfStarted : "Skipped";
        var resumeRuns = upgradeStarts && upgradeResumeRan ? 1 : 0;

        var canceled = canceledBeforeUpgrade || canceledDuringUpgrade;
        var undoStage = stages[$"Undo_{Env}"];
        var undoRan = AzureConditionEvaluator.Evaluate(Scalar(undoStage, "condition"), new(canceled, DependencyResults(undoStage, results)));
        if (undoRan)
        {
            var job = ((YamlSequenceNode)undoStage.Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().Single();
            var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [$"Preflight_{Env}.Preflight"] = new Dictionary<string, string> { ["orchprep.outcome"] = outcome },
            };
            var jobContext = new AzureConditionContext(canceled, new Dictionary<string, string>(), outputs);
            Assert.True(AzureConditionEvaluator.Evaluate(Scalar(job, "condition"), jobContext), "the undo stage started but its job would not");

            // The job's variables read prepare's outputs from the Preflight job by its real stage, job and step names.
            var variables = Map(job, "variables")!;
            Assert.NotEmpty(variables.Children);
            foreach (var value in variables.Children.Values)
            {
                var expression = ((YamlScalarNode)value).Value!.Trim();
                Assert.StartsWith("$[", expression, StringComparison.Ordinal);
                Assert.Equal(outcome, AzureConditionEvaluator.EvaluateValue(expression[2..^1], jobContext));
            }

            var steps = ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
            var resume = steps.Single(IsResumeStep);
            Assert.Equal("true", Scalar(Map(resume, "inputs")!, "ifPresent"));
            Assert.All(steps, s => Assert.True(
                AzureConditionEvaluator.Evaluate(Scalar(s, "condition"), jobContext with { JobStatus = "Succeeded" }),
                $"step {Scalar(s, "displayName") ?? Scalar(s, "checkout") ?? Scalar(s, "download")} would not run"));
            // After a failed step (e.g. no artifact to download) resume must not run: "nothing to undo" would be a lie.
            Assert.False(AzureConditionEvaluator.Evaluate(Scalar(resume, "condition"), jobContext with { JobStatus = "Failed" }));
            resumeRuns++;
        }

        return (results[$"Upgrade_{Env}"], undoRan, resumeRuns);
    }

    private static bool IsResumeStep(YamlMappingNode step) =>
        Scalar(step, "task")?.StartsWith("OrchUpgradePrep@", StringComparison.Ordinal) == true && Scalar(Map(step, "inputs")!, "mode") == "resume";

    private static Dictionary<string, string> DependencyResults(YamlMappingNode stage, Dictionary<string, string> results)
    {
        var dependsOn = stage.Children[new YamlScalarNode("dependsOn")];
        var names = dependsOn is YamlSequenceNode list ? list.Children.Select(n => ((YamlScalarNode)n).Value!) : [((YamlScalarNode)dependsOn).Value!];
        return names.ToDictionary(n => n, n => results.TryGetValue(n, out var r) ? r : throw new InvalidOperationException($"{n} has not run yet"));
    }

    // Results Azure documents (https://learn.microsoft.com/azure/devops/pipelines/process/approvals): "If any check
    // eventually fails (for example, if you reject an approval on one of the resources), then that stage isn't
    // executed" — the stage ends Failed (some report Canceled, so both are run); "If the approval isn't completed within
    // the specified Timeout, the stage is marked skipped". Conditions and cancellation:
    // https://learn.microsoft.com/azure/devops/pipelines/process/conditions.
    [Theory]
    [InlineData("unmet preflight (prepare exit 1 after stopping services)", "Failed", "Succeeded", false, false, "unmet")]
    [InlineData("prepare could not evaluate (exit 3)", "Failed", "Succeeded", false, false, "error")]
    [InlineData("approval rejected (stage failed)", "Succeeded", "Failed", false, false, "met")]
    [InlineData("approval rejected (stage canceled)", "Succeeded", "Canceled", false, false, "met")]
    [InlineData("approval timed out (stage skipped)", "Succeeded", "Skipped", false, false, "met")]
    [InlineData("upgrade step failed (its resume step skipped)", "Succeeded", "Failed", false, false, "met")]
    [InlineData("run cancelled during prepare", "Canceled", "Succeeded", true, false, "")]
    [InlineData("run cancelled while waiting for approval or upgrading", "Succeeded", "Canceled", false, true, "met")]
    public void Azure_EveryFailureBranch_RunsResumeOnce(string branch, string preflight, string upgradeIfStarted, bool canceledBeforeUpgrade, bool canceledDuringUpgrade, string outcome)
    {
        var (upgrade, undoRan, resumeRuns) = RunAzure(preflight, upgradeIfStarted, canceledBeforeUpgrade, canceledDuringUpgrade, upgradeResumeRan: false, outcome);

        Assert.True(undoRan, $"{branch}: upgrade {upgrade}, the undo stage did not run");
        Assert.Equal(1, resumeRuns);
    }

    [Fact]
    public void Azure_SuccessfulUpgrade_RunsResumeOnce_InTheUpgradeStage()
    {
        var (upgrade, undoRan, resumeRuns) = RunAzure("Succeeded", "Succeeded", false, false, upgradeResumeRan: true);

        Assert.Equal("Succeeded", upgrade);
        Assert.False(undoRan);
        Assert.Equal(1, resumeRuns);
    }

    [Fact]
    public void Azure_PreflightWithWarnings_UpgradesAndResumesOnce()
    {
        var (upgrade, undoRan, resumeRuns) = RunAzure("SucceededWithIssues", "SucceededWithIssues", false, false, upgradeResumeRan: true, "met");

        Assert.Equal("SucceededWithIssues", upgrade);
        Assert.False(undoRan);
        Assert.Equal(1, resumeRuns);
    }

    [Fact]
    public void Azure_UpgradesOwnResumeFailed_UndoRunsItAgain_WhichResumeMakesHarmless()
    {
        // resume leaves alone what already runs (RunbookResume: "already-running"), so a second run changes nothing.
        var (upgrade, undoRan, resumeRuns) = RunAzure("Succeeded", "Failed", false, false, upgradeResumeRan: true);

        Assert.Equal("Failed", upgrade);
        Assert.True(undoRan);
        Assert.Equal(2, resumeRuns);
    }

    [Fact]
    public void Azure_PreflightNeverRan_BecauseAnEarlierEnvironmentFailed_NoUndo()
    {
        var (_, undoRan, resumeRuns) = RunAzure("Skipped", "Succeeded", false, false, upgradeResumeRan: false);

        Assert.False(undoRan);
        Assert.Equal(0, resumeRuns);
    }

    [Fact]
    public void Azure_PrepareStatePublishStep_RunsAfterAFailedOrCancelledPrepare()
    {
        var preflight = ((YamlSequenceNode)AzureStages()[$"Preflight_{Env}"].Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().Single();
        var publish = ((YamlSequenceNode)preflight.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()
            .Single(s => Scalar(s, "publish") is not null);

        Assert.Equal($"orchprep-{Env}", Scalar(publish, "artifact"));
        foreach (var canceled in new[] { false, true })
        {
            Assert.True(AzureConditionEvaluator.Evaluate(Scalar(publish, "condition"), new(canceled, new Dictionary<string, string>(), JobStatus: "Failed")));
        }
    }

    // ---- GitHub Actions -----------------------------------------------------------------------------------------

    private static YamlMappingNode GitHubJobs() =>
        Map(Load(File.ReadAllText(RepositoryPaths.Of("examples/github/orchestrator-upgrade-environment.yml"))), "jobs")!;

    private static IEnumerable<string> Needs(YamlMappingNode job) =>
        !job.Children.TryGetValue(new YamlScalarNode("needs"), out var needs) ? []
        : needs is YamlSequenceNode list ? list.Children.Select(n => ((YamlScalarNode)n).Value!) : [((YamlScalarNode)needs).Value!];

    private static Dictionary<string, GitHubNeed> NeedsOf(YamlMappingNode job, Dictionary<string, GitHubNeed> finished) =>
        Needs(job).ToDictionary(n => n, n => finished.TryGetValue(n, out var r) ? r : throw new InvalidOperationException($"{n} has not run yet"));

    private static (string Upgrade, bool UndoRan, int ResumeRuns) RunGitHub(
        string preflight, string outcome, string upgradeIfStarted, bool cancelledBeforeUpgrade, bool cancelledDuringUpgrade, bool upgradeResumeRan)
    {
        var jobs = GitHubJobs();
        var finished = new Dictionary<string, GitHubNeed> { ["preflight"] = new(preflight, new Dictionary<string, string> { ["outcome"] = outcome }) };

        var upgradeJob = Map(jobs, "upgrade")!;
        var upgradeStarts = GitHubConditionEvaluator.Evaluate(Scalar(upgradeJob, "if"), cancelledBeforeUpgrade, NeedsOf(upgradeJob, finished));
        var upgrade = upgradeStarts ? upgradeIfStarted : "skipped";
        finished["upgrade"] = new(upgrade);
        var resumeRuns = upgradeStarts && upgradeResumeRan ? 1 : 0;

        var cancelled = cancelledBeforeUpgrade || cancelledDuringUpgrade;
        var undoJob = Map(jobs, "undo")!;
        var needs = NeedsOf(undoJob, finished);
        var undoRan = GitHubConditionEvaluator.Evaluate(Scalar(undoJob, "if"), cancelled, needs);
        if (undoRan)
        {
            var steps = ((YamlSequenceNode)undoJob.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
            var resume = steps.Single(s => Scalar(s, "uses")?.Contains("/orchupgradeprep@", StringComparison.Ordinal) == true && Scalar(Map(s, "with")!, "mode") == "resume");
            Assert.Equal("true", Scalar(Map(resume, "with")!, "ifPresent"));
            Assert.All(steps, s => Assert.True(GitHubConditionEvaluator.Evaluate(Scalar(s, "if"), cancelled, needs, previousStepFailed: false), $"step {Scalar(s, "uses") ?? Scalar(s, "name")} would not run"));
            // After a failed step (e.g. no artifact to download) resume must not run: "nothing to undo" would be a lie.
            Assert.False(GitHubConditionEvaluator.Evaluate(Scalar(resume, "if"), cancelled, needs, previousStepFailed: true));
            resumeRuns++;
        }

        return (upgrade, undoRan, resumeRuns);
    }

    // Results GitHub documents: a rejected review — "If a job is rejected, the workflow will fail"; not approved within
    // 30 days — "it will automatically fail" (https://docs.github.com/actions/managing-workflow-runs-and-deployments/managing-deployments/reviewing-deployments).
    // Cancellation: "the server re-evaluates if conditions for all currently running jobs ... if: always() would
    // evaluate to true and the job continues to run" (https://docs.github.com/actions/reference/workflow-cancellation-reference).
    // needs.<job>.result: "success, failure, cancelled, or skipped".
    [Theory]
    [InlineData("unmet preflight (prepare exit 1 after stopping services)", "failure", "unmet", "success", false, false)]
    [InlineData("prepare could not evaluate (exit 3)", "failure", "error", "success", false, false)]
    [InlineData("review rejected (the job fails)", "success", "met", "failure", false, false)]
    [InlineData("review not given in 30 days (the job fails)", "success", "met", "failure", false, false)]
    [InlineData("upgrade step failed (its resume step skipped)", "success", "met", "failure", false, false)]
    [InlineData("run cancelled during prepare", "cancelled", "", "success", true, false)]
    [InlineData("run cancelled while waiting for review or upgrading", "success", "met", "cancelled", false, true)]
    public void GitHub_EveryFailureBranch_RunsResumeOnce(string branch, string preflight, string outcome, string upgradeIfStarted, bool cancelledBeforeUpgrade, bool cancelledDuringUpgrade)
    {
        var (upgrade, undoRan, resumeRuns) = RunGitHub(preflight, outcome, upgradeIfStarted, cancelledBeforeUpgrade, cancelledDuringUpgrade, upgradeResumeRan: false);

        Assert.True(undoRan, $"{branch}: upgrade {upgrade}, the undo job did not run");
        Assert.Equal(1, resumeRuns);
    }

    [Fact]
    public void GitHub_SuccessfulUpgrade_RunsResumeOnce_InTheUpgradeJob()
    {
        var (upgrade, undoRan, resumeRuns) = RunGitHub("success", "met", "success", false, false, upgradeResumeRan: true);

        Assert.Equal("success", upgrade);
        Assert.False(undoRan);
        Assert.Equal(1, resumeRuns);
    }

    [Fact]
    public void GitHub_UpgradesOwnResumeFailed_UndoRunsItAgain_WhichResumeMakesHarmless()
    {
        var (_, undoRan, resumeRuns) = RunGitHub("success", "met", "failure", false, false, upgradeResumeRan: true);

        Assert.True(undoRan);
        Assert.Equal(2, resumeRuns);
    }

    [Fact]
    public void GitHub_PrepareStateUploadStep_RunsAfterAFailedOrCancelledPrepare()
    {
        var preflight = Map(GitHubJobs(), "preflight")!;
        var upload = ((YamlSequenceNode)preflight.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()
            .Single(s => Scalar(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);

        foreach (var cancelled in new[] { false, true })
        {
            Assert.True(GitHubConditionEvaluator.Evaluate(Scalar(upload, "if"), cancelled, new Dictionary<string, GitHubNeed>(), previousStepFailed: true));
        }
    }

    /// <summary>
    /// "Secrets stored in an environment are only available to workflow jobs that reference the environment"
    /// (https://docs.github.com/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#environment-secrets).
    /// The header names the environment secrets; every job that reads one must name an environment.
    /// </summary>
    [Fact]
    public void GitHub_EveryJobThatReadsAnEnvironmentSecret_NamesAnEnvironment()
    {
        var header = string.Join(' ', File.ReadLines(RepositoryPaths.Of("examples/github/orchestrator-upgrade.yml")).TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()));
        var sentence = header[header.IndexOf("environment secrets", StringComparison.Ordinal)..];
        var environmentSecrets = SecretName().Matches(sentence[..sentence.IndexOf(';', StringComparison.Ordinal)]).Select(m => m.Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "ORCH_SQL_PASSWORD", "ORCH_SMK_PASSWORD" }, environmentSecrets);

        var checkedJobs = 0;
        foreach (var file in new[] { "orchestrator-upgrade.yml", "orchestrator-upgrade-environment.yml" })
        {
            var jobs = Map(Load(File.ReadAllText(RepositoryPaths.Of(Path.Combine("examples", "github", file)))), "jobs")!;
            foreach (var (key, value) in jobs.Children)
            {
                var job = (YamlMappingNode)value;
                var used = Scalars(job).SelectMany(s => SecretReference().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet();
                foreach (var secret in used)
                {
                    Assert.True(environmentSecrets.Contains(secret) || secret == "GITHUB_TOKEN", $"{file} job {key}: secrets.{secret} is neither an environment secret the header asks for nor GITHUB_TOKEN");
                    Assert.True(Scalar(job, "environment") is not null, $"{file} job {key} reads secrets.{secret} but names no environment, so it arrives empty");
                    checkedJobs++;
                }
            }
        }

        Assert.True(checkedJobs >= 3, "preflight, upgrade and undo read secrets");
    }

    [Fact]
    public void GitHub_UndoRunsWhereThePreflightRan_NotOnTheEnvironmentWithReviewers()
    {
        var jobs = GitHubJobs();

        Assert.Equal(Scalar(Map(jobs, "preflight")!, "environment"), Scalar(Map(jobs, "undo")!, "environment"));
        Assert.NotEqual(Scalar(Map(jobs, "upgrade")!, "environment"), Scalar(Map(jobs, "undo")!, "environment"));
        Assert.Equal(["preflight", "upgrade"], Needs(Map(jobs, "undo")!).Order());
    }

    // ---- Classic release ----------------------------------------------------------------------------------------

    [Fact]
    public void ClassicRelease_HasAnUndoJobThatRunsEvenAfterFailureOrCancellation_WithNoStateFileFine()
    {
        var text = File.ReadAllText(RepositoryPaths.Of("examples/azure-pipelines/classic-release.md"));

        Assert.Contains("Even if a previous job has failed, even if the deployment was canceled", text, StringComparison.Ordinal);
        Assert.Contains("*No state file is fine*", text, StringComparison.Ordinal);
        Assert.Contains("docs/pipeline-lifecycle.md", text, StringComparison.Ordinal);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s.Value ?? ""],
        YamlMappingNode m => m.Children.SelectMany(kv => Scalars(kv.Key).Concat(Scalars(kv.Value))),
        YamlSequenceNode q => q.Children.SelectMany(Scalars),
        _ => [],
    };

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode? Map(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    [GeneratedRegex(@"secrets\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SecretReference();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")]
    private static partial Regex SecretName();
}
