using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The example pipelines' undo path (docs/pipeline-lifecycle.md): prepare stops the Runbook Services, the upgrade does
/// not complete, and `resume --if-present` on the same output folder starts every one of them again.
/// </summary>
public sealed class CleanupPathTests
{
    private static IReadOnlyList<(string Kind, string Target, string Outcome)> Actions(ReportJson report) =>
        [.. report.Root.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("target").GetString()!, a.GetProperty("outcome").GetString()!))];

    // The sandbox keeps its hosts' services between runs in the output folder; this reads them as the next run would.
    private static IEnumerable<(string Host, bool Running)> RunbookServices(string output)
    {
        var world = JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(output, "sandbox-world-*.json").Single())).RootElement;
        return world.GetProperty("Services").EnumerateArray()
            .Where(s => s.GetProperty("Name").GetString() == "orunbook")
            .Select(s => (s.GetProperty("Host").GetString()!, s.GetProperty("Running").GetBoolean()));
    }

    [Theory]
    // Unmet after the services were stopped: the preflight fails, the upgrade never starts, the undo job runs.
    [InlineData("pending-restart", 1, new string[0])]
    // Met (exit 0): the approval is rejected or the upgrade fails afterwards, the undo job runs.
    [InlineData("busy", 0, new[] { "--drain", "stop", "--drain-timeout", "0s" })]
    public async Task Prepare_then_resume_if_present_starts_every_service_prepare_stopped(string scenario, int prepareExit, string[] prepareOptions)
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, ["prepare", $"--sandbox={scenario}", .. prepareOptions, "--output", "out", "--format", "json"]);

        Assert.True(prepare.ExitCode == prepareExit, prepare.ToString());
        var stopped = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "prepare-state.json"))).RootElement
            .GetProperty("stoppedServices").EnumerateArray().Select(s => $"{s.GetProperty("host").GetString()}: {s.GetProperty("name").GetString()}").Order().ToList();
        Assert.NotEmpty(stopped);
        Assert.All(RunbookServices(output), s => Assert.False(s.Running, $"{s.Host} still runs after prepare"));

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", $"--sandbox={scenario}", "--output", "out", "--if-present", "--format", "json");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        var started = Actions(ReportJson.Parse(resume.StandardOutput)).Where(a => a.Kind == "start-service" && a.Outcome == "started").Select(a => a.Target).Order().ToList();
        Assert.Equal(stopped, started);
        Assert.All(RunbookServices(output), s => Assert.True(s.Running, $"{s.Host}'s Runbook Service is still stopped"));
        // Nothing left to undo: the state file is gone or lists nothing.
        var statePath = Path.Combine(output, "prepare-state.json");
        if (File.Exists(statePath))
        {
            var state = JsonDocument.Parse(File.ReadAllText(statePath)).RootElement;
            Assert.Equal(0, state.GetProperty("stoppedServices").GetArrayLength());
            Assert.Equal(0, state.GetProperty("stoppedMonitors").GetArrayLength());
        }

        // The undo job after the upgrade's own resume (or run twice): nothing left to undo, exit 0, nothing touched.
        var again = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", $"--sandbox={scenario}", "--output", "out", "--if-present", "--format", "json");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty(Actions(ReportJson.Parse(again.StandardOutput)));
        Assert.All(RunbookServices(output), s => Assert.True(s.Running));
    }
}
