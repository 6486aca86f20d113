using System.Text.Json;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Sandbox.Scenarios;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class ListCommandTests
{
    [Fact]
    public async Task List_checks_prints_every_id_that_has_a_help_page_and_every_help_page_once()
    {
        var (exit, stdout, _) = await RunAsync("list", "checks", "--format", "json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var ids = json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
        var pages = Directory.GetFiles(RepositoryPaths.Of("docs/checks"), "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(pages, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            Assert.True(File.Exists(RepositoryPaths.Of(entry.GetProperty("helpPage").GetString()!)), entry.GetProperty("helpPage").GetString());
            // The id's first part is its prerequisite: `--only backup` selects by it.
            Assert.Equal(entry.GetProperty("id").GetString()!.Split('.')[0], entry.GetProperty("prerequisite").GetString());
        }
    }

    [Fact]
    public async Task List_checks_says_which_mode_produces_a_step_result()
    {
        var (_, stdout, _) = await RunAsync("list", "checks");

        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^backup\.taken +backup +prepare +A copy-only full backup", lines.Single(l => l.StartsWith("backup.taken ", StringComparison.Ordinal)));
        Assert.Matches(@"^runbooks\.resumed +runbooks +resume ", lines.Single(l => l.StartsWith("runbooks.resumed ", StringComparison.Ordinal)));
        Assert.Matches(@"^requirements\.os-version +requirements +check, prepare ", lines.Single(l => l.StartsWith("requirements.os-version ", StringComparison.Ordinal)));
        Assert.Contains($"{CheckIndex.All().Count} checks.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_scenarios_names_every_scenario_with_what_it_simulates()
    {
        var (exit, stdout, _) = await RunAsync("list", "scenarios", "-f", "json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(SandboxScenarios.Names, json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!));
        Assert.All(json.RootElement.EnumerateArray(), e => Assert.True(e.GetProperty("description").GetString()!.Length > 20));
    }

    [Fact]
    public async Task An_unknown_format_is_a_usage_error_naming_the_choices()
    {
        var (exit, stdout, stderr) = await RunAsync("list", "checks", "--format", "xml");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("'text'", stderr, StringComparison.Ordinal);
        Assert.Contains("'json'", stderr, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => InProcessCli.RunAsync(args);
}
