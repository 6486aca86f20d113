using OrchUpgradePrep.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>How flags and ORCHPREP_* variables become a run, for what is refused before anything starts (exit 2).</summary>
public sealed class RunRequestResolverTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-resolve-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(int Exit, string Error)> RunAsync(string[] args, Dictionary<string, string>? variables = null)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(args, variables, _work.FullName, sandboxes: new RefusedSandboxLauncher());
        return (exit, stderr);
    }

    /// <summary>Fails the test when a run that should have been refused starts the sandbox.</summary>
    private sealed class RefusedSandboxLauncher : ISandboxLauncher
    {
        public Task<SandboxSession> StartAsync(SandboxLaunch launch, CancellationToken cancellationToken)
        {
            Assert.Fail("the sandbox started for a run that should have been refused");
            throw new InvalidOperationException("unreachable");
        }
    }

    [Theory]
    [InlineData("check --sandbox --force-stop", "--force-stop is an option of prepare only, not of check ('orchprep prepare --help').")]
    [InlineData("check --force-stop --sandbox", "--force-stop is an option of prepare only, not of check ('orchprep prepare --help').")]
    [InlineData("resume --sandbox --verify restore", "--verify is an option of prepare only, not of resume ('orchprep prepare --help').")]
    [InlineData("check --sandbox --restore-server=sql02", "--restore-server is an option of prepare only, not of check ('orchprep prepare --help').")]
    [InlineData("prepare --sandbox --if-present", "--if-present is an option of resume only, not of prepare ('orchprep resume --help').")]
    public async Task An_option_of_another_command_is_named_as_such_and_never_taken_for_a_scenario(string line, string hint)
    {
        var (exit, error) = await RunAsync(line.Split(' '));

        Assert.Equal(2, exit);
        Assert.Contains($"orchprep: {hint}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("is not a sandbox scenario", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_gets_no_hint_about_other_commands()
    {
        var (exit, error) = await RunAsync(["check", "--sandbox", "--frobnicate"]);

        Assert.Equal(2, exit);
        Assert.DoesNotContain("is an option of", error, StringComparison.Ordinal);
        Assert.Contains("--sandbox: '--frobnicate' after it is no option of this command", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--sandbox", "prod")]
    [InlineData("check", "--sandbox=prod")]
    [InlineData("resume", "--sandbox", "healthyy", "--output", "out")]
    public async Task Sandbox_TakesNoTokenThatIsNotAScenario(params string[] args)
    {
        var (exit, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("is not a sandbox scenario (healthy, busy", error, StringComparison.Ordinal);
        Assert.Contains("--sandbox=NAME", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-e")]
    [InlineData("--environment")]
    public async Task Sandbox_WithEnvironment_IsRefused_NotIgnored(string flag)
    {
        var (exit, error) = await RunAsync(["check", "--sandbox", flag, "prod"]);

        Assert.Equal(2, exit);
        Assert.Contains("--sandbox and --environment ('prod') exclude each other: the sandbox has its own environment ('sandbox')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxVariable_WithEnvironmentVariable_IsRefused_NamingBoth()
    {
        var (exit, error) = await RunAsync(["check"], new() { ["ORCHPREP_SANDBOX"] = "ready", ["ORCHPREP_ENVIRONMENT"] = "prod" });

        Assert.Equal(2, exit);
        Assert.Contains("ORCHPREP_SANDBOX and ORCHPREP_ENVIRONMENT ('prod') exclude each other", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxFlag_WithEnvironmentVariable_IsRefused()
    {
        var (exit, error) = await RunAsync(["check", "--sandbox=ready"], new() { ["ORCHPREP_ENVIRONMENT"] = "prod" });

        Assert.Equal(2, exit);
        Assert.Contains("--sandbox and ORCHPREP_ENVIRONMENT ('prod')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfPresent_IsAResumeOption_Only()
    {
        var (exit, error) = await RunAsync(["check", "--sandbox", "--if-present"]);

        Assert.Equal(2, exit);
        Assert.Contains("--if-present", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfPresentVariable_ThatIsNotABoolean_IsRefused_NamingIt()
    {
        var (exit, error) = await RunAsync(["resume", "--sandbox", "--output", "out"], new() { ["ORCHPREP_IF_PRESENT"] = "yes" });

        Assert.Equal(2, exit);
        Assert.Contains("ORCHPREP_IF_PRESENT is 'yes', not true or false.", error, StringComparison.Ordinal);
    }
}
