using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>`orchprep gate serve` refuses to start half-configured, with a message that says what to set (exit 2).</summary>
public sealed class GateServeCommandTests
{
    [Fact]
    public async Task WithNothingToServe_ItExits2_NamingTheVariablesToSet()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nothing to serve", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("ORCHPREP_WEBHOOK_SECRET", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("ORCHPREP_AZDO_CHECK_SECRET", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEnvironmentMap_Exits2_NamingTheVariable_AndNoSecretIsEchoed()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?>
        {
            ["ORCHPREP_GATE_ENVIRONMENTS"] = "orchestrator-prod",
            ["ORCHPREP_WEBHOOK_SECRET"] = "Hook-Secret-5521",
        };

        var run = await OrchPrepProcess.RunAsync(dir.Path, env, "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ORCHPREP_GATE_ENVIRONMENTS: 'orchestrator-prod' is not pipeline-environment=config-environment", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Hook-Secret-5521", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadCheckTimeout_Exits2()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["ORCHPREP_GATE_CHECK_TIMEOUT"] = "forever" }, "gate", "serve");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("ORCHPREP_GATE_CHECK_TIMEOUT: 'forever' is not a duration", run.StandardError, StringComparison.Ordinal);
    }
}
