using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The CLI inside Azure Pipelines and GitHub Actions, as their runners call it (environment variables only).</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task AzurePipelines_RegistersSecretsFirst_AnnotatesUnmetChecks_SetsOutputs_AndFailsTheTask()
    {
        using var dir = new TempDirectory();
        var agentTemp = Directory.CreateDirectory(Path.Combine(dir.Path, "agent-temp")).FullName;
        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["AGENT_TEMPDIRECTORY"] = agentTemp,
            ["ORCHPREP_SQL_PASSWORD"] = "Az-Secret-7781",
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--sandbox=requirements-unmet");

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("##vso[task.setsecret]Az-Secret-7781", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("##vso[task.logissue type=error;code=requirements.os-version;]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("##vso[task.logissue type=warning;code=requirements.upgrade-path;]", StringComparison.Ordinal));
        Assert.Contains("##vso[task.setvariable variable=outcome;isOutput=true;issecret=false]unmet", lines);
        var reportDir = Path.Combine(agentTemp, "orchprep-report");
        Assert.Contains($"##vso[task.setvariable variable=reportPath;isOutput=true;issecret=false]{Path.Combine(reportDir, "report.json")}", lines);
        Assert.Contains($"##vso[task.uploadsummary]{Path.Combine(reportDir, "report.md")}", lines);
        Assert.Contains($"##vso[results.publish type=JUnit;runTitle=orchprep;]{Path.Combine(reportDir, "junit.xml")}", lines);
        Assert.StartsWith("##vso[task.complete result=Failed;]", lines[^1], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(reportDir, "report.json")));
    }

    [Fact]
    public async Task GitHubActions_MasksFirst_WritesOutputsAndStepSummary_AndAnnotates()
    {
        using var dir = new TempDirectory();
        var outputFile = Path.Combine(dir.Path, "github_output");
        var summaryFile = Path.Combine(dir.Path, "step_summary");
        File.WriteAllText(outputFile, string.Empty);
        File.WriteAllText(summaryFile, string.Empty);
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputFile,
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["RUNNER_TEMP"] = dir.Path,
            ["GITHUB_TOKEN"] = "ghs_secretTokenValue123",
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "check", "--sandbox=requirements-unmet");

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("::add-mask::ghs_secretTokenValue123", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("::error title=requirements.memory on orch-ms01::", StringComparison.Ordinal));
        var outputs = File.ReadAllText(outputFile);
        Assert.Contains("outcome=unmet", outputs, StringComparison.Ordinal);
        Assert.Contains($"reportPath={Path.Combine(dir.Path, "orchprep-report", "report.json")}", outputs, StringComparison.Ordinal);
        Assert.Contains("UNMET", File.ReadAllText(summaryFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailOnWarning_TurnsAMetRunWithAWarningIntoUnmet_AndSaysWhy()
    {
        using var dir = new TempDirectory();
        var outputDir = Path.Combine(dir.Path, "out");

        var plain = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "check", "--sandbox=ready");
        var strict = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["ORCHPREP_FAIL_ON_WARNING"] = "true" },
            "check", "--sandbox=ready", "--output", outputDir);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("with warnings", plain.StandardOutput, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 1, strict.ToString());
        var report = File.ReadAllText(Path.Combine(outputDir, "report.json"));
        Assert.Contains("\"outcome\": \"unmet\"", report, StringComparison.Ordinal);
        Assert.Contains("--fail-on-warning: 1 warning(s) count as unmet.", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubActions_Prepare_OutputsTheBackupFileAndItsHash_AndTheSummaryHasTheTimeline()
    {
        using var dir = new TempDirectory();
        var outputFile = Path.Combine(dir.Path, "github_output");
        var summaryFile = Path.Combine(dir.Path, "step_summary");
        File.WriteAllText(outputFile, string.Empty);
        File.WriteAllText(summaryFile, string.Empty);
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputFile,
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["RUNNER_TEMP"] = dir.Path,
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "prepare", "--sandbox");

        Assert.True(run.ExitCode == 0, run.ToString());
        var outputs = File.ReadAllLines(outputFile).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        // The sandbox removes its files when the process ends; PrepareCommandTests proves the hash against a kept file.
        var file = ReportJson.Parse(File.ReadAllText(outputs["reportPath"])).Root.GetProperty("backup").GetProperty("files")[0];
        Assert.Equal(file.GetProperty("path").GetString(), outputs["backupPath"]);
        Assert.Equal(file.GetProperty("sha256").GetString(), outputs["backupSha256"]);
        Assert.Matches("^[0-9a-f]{64}$", outputs["backupSha256"]);

        var summary = File.ReadAllText(summaryFile);
        Assert.Contains("## Timeline", summary, StringComparison.Ordinal);
        Assert.Contains("```mermaid\ngantt\n", summary, StringComparison.Ordinal);
        Assert.Matches(@"    Drain runbooks .* :done, drain, 0, \d+ms", summary);
        Assert.Matches(@"    Verify .* :done, verify, after backup, \d+ms", summary);
    }
}

