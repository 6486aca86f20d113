using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Pipelines.AzurePipelines;
using OrchUpgradePrep.Pipelines.GitHubActions;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Pipelines;

public sealed class PipelineHostDetectorTests
{
    private static IPipelineHost Detect(Dictionary<string, string> env, TextWriter? stdout = null, MockFileSystem? fs = null) =>
        PipelineHostDetector.Detect(n => env.GetValueOrDefault(n), stdout ?? new StringWriter(), fs ?? new MockFileSystem(), new SecretMasker());

    [Theory]
    [InlineData("True")]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void TfBuildTrue_DetectsAzurePipelines(string value)
    {
        var host = Detect(new() { ["TF_BUILD"] = value });

        Assert.IsType<AzurePipelinesHost>(host);
        Assert.Equal("azure-pipelines", host.Name);
    }

    [Fact]
    public void GitHubActionsTrue_DetectsGitHubWithItsFiles()
    {
        var fs = new MockFileSystem();
        fs.AddDirectory("/gh");
        var host = Detect(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = "/gh/out", ["GITHUB_STEP_SUMMARY"] = "/gh/sum" }, fs: fs);

        host.SetOutput("outcome", "met");
        host.PublishSummary("report.md", "# ok\n");

        Assert.IsType<GitHubActionsHost>(host);
        Assert.Equal("outcome=met\n", fs.File.ReadAllText("/gh/out"));
        Assert.Equal("# ok\n", fs.File.ReadAllText("/gh/sum"));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("false", "false")]
    [InlineData("", "yes")]
    public void NeitherPipeline_FallsBackToPlainConsole(string? tfBuild, string? githubActions)
    {
        var env = new Dictionary<string, string>();
        if (tfBuild is not null)
        {
            env["TF_BUILD"] = tfBuild;
        }

        if (githubActions is not null)
        {
            env["GITHUB_ACTIONS"] = githubActions;
        }

        var stdout = new StringWriter();
        var host = Detect(env, stdout);
        host.RegisterSecrets(["s"]);
        host.SetOutput("a", "b");
        host.Complete(OrchUpgradePrep.Model.RunOutcome.Unmet);

        Assert.IsType<PlainConsoleHost>(host);
        Assert.Equal("console", host.Name);
        Assert.Empty(stdout.ToString());
    }
}
