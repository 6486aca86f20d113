using System.IO.Abstractions;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli;

/// <summary>orchprep's command line run in the test's process, with its own variables and working folder.</summary>
internal static class InProcessCli
{
    /// <param name="adjust">Changes to the environment a test needs beyond variables and folder.</param>
    /// <param name="sandboxes">The sandbox launcher (e.g. one that watches the session); null = the product's.</param>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string[] args, IReadOnlyDictionary<string, string>? variables = null, string? workingDirectory = null, Func<CliEnvironment, CliEnvironment>? adjust = null,
        ISandboxLauncher? sandboxes = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => variables?.GetValueOrDefault(name),
            FileSystem = new FileSystem(),
            CurrentDirectory = workingDirectory ?? Path.GetTempPath(),
            Time = TimeProvider.System,
            LocalMachineName = "test-runner",
        };
        var exit = await OrchPrepCli.RunAsync(args, adjust is null ? environment : adjust(environment), TestContext.Current.CancellationToken, sandboxes);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
