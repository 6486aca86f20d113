using System.IO.Abstractions;
using System.Text.Json;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Cli.Commands;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class SetupErrorTests
{
    [Theory]
    [InlineData("ORCHPREP_DRAIN_TIMEOUT: 'ten minutes' is not a duration; write it like 90s, 30m, 2h or 0s.",
        "the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration; write it like 90s, 30m, 2h or 0s.")]
    [InlineData("orchprep.yml has environments dev, prod; pass --environment.", "orchprep.yml has environments dev, prod; pass the input 'environment' (--environment).")]
    [InlineData("ORCHPREP_SQL_PASSWORD (sql.passwordEnv) is not set", "the input 'sqlPassword' (ORCHPREP_SQL_PASSWORD) (sql.passwordEnv) is not set")]
    [InlineData("ORCHPREP_SANDBOX_PASSWORD and --no-such-flag and ORCHPREP_UNKNOWN stay as they are",
        "ORCHPREP_SANDBOX_PASSWORD and --no-such-flag and ORCHPREP_UNKNOWN stay as they are")]
    [InlineData("ORCHPREP_IF_PRESENT is 'yes', not true or false.", "the input 'ifPresent' (ORCHPREP_IF_PRESENT) is 'yes', not true or false.")]
    public void Variables_and_flags_that_are_inputs_are_named_as_the_input_too(string message, string expected) =>
        Assert.Equal(expected, SetupError.WithInputNames(message));

    [Fact]
    public void Every_input_of_task_json_but_the_mode_is_known_by_its_variable()
    {
        using var task = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("task.json")));
        var inputs = task.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Where(n => n != "mode").ToHashSet();

        var known = SetupError.InputsByName().Where(p => p.Key.StartsWith("ORCHPREP_", StringComparison.Ordinal)).Select(p => p.Value).ToHashSet();

        Assert.Equal(inputs.Order(), known.Order());
    }

    [Fact]
    public async Task In_Azure_Pipelines_a_config_error_is_one_error_issue_and_one_task_complete_naming_the_input()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            GetEnvironmentVariable = name => name switch { "TF_BUILD" => "True", "ORCHPREP_DRAIN_TIMEOUT" => "ten minutes", _ => null },
            FileSystem = new FileSystem(),
            CurrentDirectory = Path.GetTempPath(),
            Time = TimeProvider.System,
            LocalMachineName = "test-runner",
        };

        var exit = await OrchPrepCli.RunAsync(["prepare", "--sandbox"], environment, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        const string text = "orchprep: the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration; write it like 90s, 30m, 2h or 0s.";
        Assert.Equal([$"##vso[task.logissue type=error;]{text}", $"##vso[task.complete result=Failed;]{text}"], lines);
        Assert.Equal(text, stderr.ToString().Trim());
    }
}
