using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>resume in-process against the sandbox: what it does without a state file, with an empty one, and where its report goes.</summary>
public sealed class ResumeCommandTests : IDisposable
{
    private const string EmptyState = """{ "schemaVersion": 1, "environment": "sandbox", "updatedAt": "2026-12-01T10:00:00+00:00", "stoppedServices": [], "stoppedMonitors": [] }""";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-resume-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Output => Path.Combine(_work.FullName, "out");

    private async Task<(int Exit, string Error)> RunAsync(string[] args, Dictionary<string, string>? variables = null)
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync(args, variables, _work.FullName);
        return (exit, stderr);
    }

    private JsonElement ResumeReport() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "resume-report.json"))).RootElement;

    private static (string Status, string Detail) Resumed(JsonElement report)
    {
        var check = Assert.Single(report.GetProperty("checks").EnumerateArray());
        Assert.Equal("runbooks.resumed", check.GetProperty("id").GetString());
        return (check.GetProperty("status").GetString()!, check.GetProperty("detail").GetString()!);
    }

    private static List<string> Notes(JsonElement report) => [.. report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)];

    [Fact]
    public async Task Without_a_state_file_resume_exits_2_naming_where_it_looked_and_creates_nothing()
    {
        var (exit, error) = await RunAsync(["resume", "--sandbox", "--output", "out"]);

        Assert.True(exit == 2, error);
        Assert.Contains($"resume: no prepare-state.json in {Output}", error, StringComparison.Ordinal);
        Assert.Contains("--if-present", error, StringComparison.Ordinal);
        // A mistyped --output must not turn into a folder with a green report in it.
        Assert.False(Directory.Exists(Output), "resume created the folder it did not find a state in");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_if_present_a_missing_state_file_is_nothing_to_undo_exit_0(bool byVariable)
    {
        var (exit, error) = byVariable
            ? await RunAsync(["resume", "--sandbox", "--output", "out"], new() { ["ORCHPREP_IF_PRESENT"] = "true" })
            : await RunAsync(["resume", "--sandbox", "--output", "out", "--if-present"]);

        Assert.True(exit == 0, error);
        var report = ResumeReport();
        var (status, detail) = Resumed(report);
        Assert.Equal("skipped", status);
        Assert.StartsWith($"nothing to undo: no prepare-state.json in {Output}", detail, StringComparison.Ordinal);
        // Nothing was read, so no note may say so.
        Assert.DoesNotContain(Notes(report), n => n.Contains("resume read", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Output, "prepare-state.json")));
    }

    [Fact]
    public async Task An_empty_state_file_is_nothing_to_undo_exit_0_and_the_note_says_it_was_read()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "prepare-state.json"), EmptyState);

        var (exit, error) = await RunAsync(["resume", "--sandbox", "--output", "out"]);

        Assert.True(exit == 0, error);
        var report = ResumeReport();
        var (status, detail) = Resumed(report);
        Assert.Equal("skipped", status);
        Assert.StartsWith("nothing to undo:", detail, StringComparison.Ordinal);
        Assert.Contains(Notes(report), n => n.StartsWith($"resume read {Path.Combine(Output, "prepare-state.json")}", StringComparison.Ordinal));
        Assert.Empty(report.GetProperty("actions").EnumerateArray());
    }

    [Fact]
    public async Task Resume_writes_its_own_report_files_leaves_prepares_and_names_its_own_as_reportPath()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "prepare-state.json"), EmptyState);
        foreach (var name in new[] { "report.json", "report.md", "junit.xml" })
        {
            File.WriteAllText(Path.Combine(Output, name), $"prepare's {name}");
        }

        var githubOutput = Path.Combine(_work.FullName, "github-output");
        File.WriteAllText(githubOutput, string.Empty);

        var (exit, error) = await RunAsync(["resume", "--sandbox", "--output", "out"],
            new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_OUTPUT"] = githubOutput });

        Assert.True(exit == 0, error);
        foreach (var name in new[] { "report.json", "report.md", "junit.xml" })
        {
            Assert.Equal($"prepare's {name}", File.ReadAllText(Path.Combine(Output, name)));
            Assert.True(File.Exists(Path.Combine(Output, "resume-" + name)), $"resume-{name} missing");
        }

        Assert.Equal("resume", ResumeReport().GetProperty("mode").GetString());
        var outputs = File.ReadAllText(githubOutput);
        Assert.Contains(Path.Combine(Output, "resume-report.json"), outputs, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.Combine(Output, "report.json"), outputs, StringComparison.Ordinal);
    }
}
