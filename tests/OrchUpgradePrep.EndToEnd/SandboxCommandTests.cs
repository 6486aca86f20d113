using Xunit;

namespace OrchUpgradePrep.EndToEnd;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task SandboxCommand_WritesAConfig_ThatAPlainCheckRunsAgainst()
    {
        using var dir = new TempDirectory();

        var sandbox = await OrchPrepProcess.RunAsync(dir.Path, null, "sandbox", "--scenario", "requirements-unmet");
        var check = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--config", "sandbox.orchprep.yml", "--environment", "sandbox", "--format", "json");

        Assert.True(sandbox.ExitCode == 0, sandbox.ToString());
        Assert.Contains("sandbox.orchprep.yml", sandbox.StandardOutput, StringComparison.Ordinal);
        var registry = File.ReadAllBytes(Path.Combine(dir.Path, "orchprep-sandbox", "snapshots", "orch-ms01", "registry.reg"));
        Assert.Equal([0xFF, 0xFE], registry[..2]); // UTF-16LE with BOM, as reg export writes
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Equal("unmet", ReportJson.Parse(check.StandardOutput).Outcome);
    }

    [Fact]
    public async Task UnknownScenario_ExitsTwo_ListingTheScenarios()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=nope");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("requirements-unmet", run.StandardError, StringComparison.Ordinal);
    }
}
