using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>--verbosity from the flag, ORCHPREP_VERBOSITY, or the pipeline's debug mode, on a real (in-process) sandbox run.</summary>
public sealed class VerbosityOptionTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-verbosity-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(int Exit, string[] Lines, string Error)> RunAsync(string[] args, Dictionary<string, string>? variables = null)
    {
        var (exit, stdout, stderr) = await InProcessCli.RunAsync(args, variables, _work.FullName);
        return (exit, stdout.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'), stderr);
    }

    private static bool ListsMetChecks(string[] lines) => lines.Any(l => l.StartsWith("    MET    ", StringComparison.Ordinal));

    private static bool ShowsDurations(string[] lines) => lines.Any(l => l.StartsWith("    MET    ", StringComparison.Ordinal) && l.EndsWith(" ms)", StringComparison.Ordinal));

    [Fact]
    public async Task Normal_is_the_default_and_counts_met_checks_per_host()
    {
        var (exit, lines, _) = await RunAsync(["check", "--sandbox=ready", "--only", "requirements"]);

        Assert.Equal(0, exit);
        Assert.False(ListsMetChecks(lines));
        Assert.Contains(lines, l => l.StartsWith("  orch-ms01  ", StringComparison.Ordinal) && l.Contains(" met", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("TF_BUILD", "True", "SYSTEM_DEBUG", "true")]
    [InlineData("GITHUB_ACTIONS", "true", "RUNNER_DEBUG", "1")]
    public async Task A_pipeline_run_in_debug_mode_is_diagnostic(string host, string hostValue, string debug, string debugValue)
    {
        var (exit, lines, _) = await RunAsync(["check", "--sandbox=ready", "--only", "requirements"], new() { [host] = hostValue, [debug] = debugValue });

        Assert.Equal(0, exit);
        Assert.True(ShowsDurations(lines), string.Join('\n', lines));
    }

    [Fact]
    public async Task The_flag_wins_over_the_variable_and_the_variable_over_debug_mode()
    {
        var flag = await RunAsync(["check", "--sandbox=ready", "--only", "requirements", "-v", "detailed"], new() { ["ORCHPREP_VERBOSITY"] = "quiet", ["TF_BUILD"] = "True", ["SYSTEM_DEBUG"] = "true" });
        var variable = await RunAsync(["check", "--sandbox=ready", "--only", "requirements"], new() { ["ORCHPREP_VERBOSITY"] = "quiet", ["TF_BUILD"] = "True", ["SYSTEM_DEBUG"] = "true" });

        Assert.True(ListsMetChecks(flag.Lines) && !ShowsDurations(flag.Lines));
        Assert.DoesNotContain(variable.Lines, l => l.StartsWith("  orch-", StringComparison.Ordinal));
        Assert.Contains(variable.Lines, l => l.Contains("MET: all prerequisites met", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_level_in_the_variable_is_a_config_error_naming_it_and_the_levels()
    {
        var (exit, _, error) = await RunAsync(["check", "--sandbox=ready"], new() { ["ORCHPREP_VERBOSITY"] = "loud" });

        Assert.Equal(2, exit);
        Assert.Contains("ORCHPREP_VERBOSITY: 'loud' is not valid; use quiet|normal|detailed|diagnostic.", error, StringComparison.Ordinal);
    }
}
