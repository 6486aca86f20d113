using Xunit;

namespace OrchUpgradePrep.EndToEnd;

public sealed class UsageAndConfigErrorTests
{
    [Fact]
    public async Task UnknownOption_ExitsTwo()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbx");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--sandbx", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTarget_ExitsTwo_AndListsTheTargets()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox", "--target", "2020");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("2012R2|2016|2019|2022|2025", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConfigAndNoSandbox_ExitsTwo_AndSaysWhatToDo()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--sandbox", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithUnknownKey_ExitsTwo_NamingFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "orchprep.yml"), "environments:\n  prod:\n    target: \"2022\"\n    hostz: []\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "-e", "prod");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep.yml(4,5)", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("hostz", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEnvironment_ExitsTwo_ListingTheEnvironments()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(
            Path.Combine(dir.Path, "orchprep.yml"),
            "environments:\n  dev:\n    target: \"2022\"\n    hosts:\n      - name: a\n        roles: [runbook-server]\n  prod:\n    target: \"2022\"\n    hosts:\n      - name: b\n        roles: [runbook-server]\n");

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--environment", "qa");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("dev, prod", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_PrintsTheHelpPage_AndUnknownIdExitsTwo()
    {
        using var dir = new TempDirectory();

        var known = await OrchPrepProcess.RunAsync(dir.Path, null, "explain", "requirements.upgrade-path");
        var unknown = await OrchPrepProcess.RunAsync(dir.Path, null, "explain", "requirements.nope");

        Assert.True(known.ExitCode == 0, known.ToString());
        Assert.StartsWith("# ", known.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("requirements.upgrade-path", known.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("requirements.os-version", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ShowsExamples()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("orchprep check --sandbox", run.StandardOutput, StringComparison.Ordinal);
    }
}
