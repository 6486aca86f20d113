using System.IO.Abstractions;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Tests.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>`check --publish-check-run` in a GitHub workflow: the gate's check-run publisher with GITHUB_TOKEN, against a fake GitHub API.</summary>
public sealed class PublishCheckRunToGitHubTests : IAsyncLifetime
{
    private const string Token = "ghs_workflowTokenForTheTest0123456789";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-publish-");
    private FakeGitHubApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await FakeGitHubApi.StartAsync(TimeProvider.System, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private Dictionary<string, string?> Workflow() => new()
    {
        ["GITHUB_TOKEN"] = Token,
        ["GITHUB_REPOSITORY"] = "contoso/orchestrator-upgrade",
        ["GITHUB_SHA"] = "feedface0123",
        ["GITHUB_API_URL"] = _api.BaseUrl.ToString().TrimEnd('/'),
    };

    private async Task<(int Exit, string Out, string Error)> RunAsync(Dictionary<string, string?> variables, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => variables.GetValueOrDefault(name),
            FileSystem = new FileSystem(),
            CurrentDirectory = _work.FullName,
            Time = TimeProvider.System,
            LocalMachineName = "runner",
        };
        var exit = await OrchPrepCli.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task MetSandbox_PublishesASuccessfulCheckRunOnTheWorkflowCommit_WithTheWorkflowToken()
    {
        var (exit, stdout, stderr) = await RunAsync(Workflow(), "check", "--sandbox=ready", "--publish-check-run");

        Assert.Equal(ExitCodes.Met, exit);
        var create = Assert.Single(_api.CheckRunCreates);
        Assert.Equal("/api/v3/repos/contoso/orchestrator-upgrade/check-runs", create.Path);
        Assert.Equal($"Bearer {Token}", create.Authorization);
        Assert.Equal("feedface0123", create.Json.GetProperty("head_sha").GetString());
        Assert.Equal("success", create.Json.GetProperty("conclusion").GetString());
        Assert.Contains("check run published", stderr);
        Assert.DoesNotContain(Token, stdout + stderr);
        Assert.DoesNotContain(Token, create.Body);
    }

    [Fact]
    public async Task UnmetSandbox_ByTheEnvironmentVariable_PublishesAFailedCheckRun_AndExits1()
    {
        var variables = Workflow();
        variables["ORCHPREP_PUBLISH_CHECK_RUN"] = "true";

        var (exit, _, _) = await RunAsync(variables, "check", "--sandbox=requirements-unmet");

        Assert.Equal(ExitCodes.Unmet, exit);
        var create = Assert.Single(_api.CheckRunCreates);
        Assert.Equal("failure", create.Json.GetProperty("conclusion").GetString());
        Assert.Contains(create.Json.GetProperty("output").GetProperty("annotations").EnumerateArray(),
            a => a.GetProperty("annotation_level").GetString() == "failure" && a.GetProperty("title").GetString()!.StartsWith("requirements.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutsideAWorkflow_IsAUsageError_NamingWhatIsMissing()
    {
        var variables = Workflow();
        variables.Remove("GITHUB_TOKEN");
        variables.Remove("GITHUB_SHA");

        var (exit, _, stderr) = await RunAsync(variables, "check", "--sandbox=ready", "--publish-check-run");

        Assert.Equal(ExitCodes.UsageOrConfig, exit);
        Assert.Contains("GITHUB_TOKEN", stderr);
        Assert.Contains("GITHUB_SHA", stderr);
        Assert.DoesNotContain("GITHUB_REPOSITORY", stderr);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task ACheckRunThatCannotBePublished_TurnsAMetRunIntoExit3()
    {
        _api.Fail = _ => 403;

        var (exit, _, stderr) = await RunAsync(Workflow(), "check", "--sandbox=ready", "--publish-check-run");

        Assert.Equal(ExitCodes.CouldNotEvaluate, exit);
        Assert.Contains("could not be published", stderr);
        Assert.DoesNotContain(Token, stderr);
    }

    [Fact]
    public async Task WithoutTheSwitch_NothingIsPublished()
    {
        var (exit, _, _) = await RunAsync(Workflow(), "check", "--sandbox=ready");

        Assert.Equal(ExitCodes.Met, exit);
        Assert.Empty(_api.Requests);
    }
}
