using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// Scenario monitor-stop-hangs (Orchestrator 2022 UR3 upgrading to 2025; orch-ms01's Runbook Server Monitor stays
/// StopPending, process 2208), the CLI as a process: on a 2022 management server prepare stops omonitor and oremoting
/// after the Runbook Services, so the documented hang shows in prepare, not in setup (docs/adr/0024-stop-omonitor-oremoting-on-2022.md).
/// </summary>
public sealed class MonitorStopHangsCommandTests
{
    private const string Scenario = "--sandbox=monitor-stop-hangs";

    private static IReadOnlyList<(string Kind, string Target, string Outcome, string Detail)> Actions(ReportJson report) =>
        [.. report.Root.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("target").GetString()!, a.GetProperty("outcome").GetString()!, a.GetProperty("detail").GetString()!))];

    private static JsonElement Check(ReportJson report, string id) =>
        report.Root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>The sandbox's services as the next run will find them (kept beside the state in the output folder).</summary>
    private static IReadOnlyList<(string Host, string Name, bool Running, bool StopPending, int ProcessId)> Services(string output)
    {
        var world = JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(output, "sandbox-world-*.json").Single())).RootElement;
        return [.. world.GetProperty("Services").EnumerateArray().Select(s => (s.GetProperty("Host").GetString()!, s.GetProperty("Name").GetString()!,
            s.GetProperty("Running").GetBoolean(), s.GetProperty("StopPending").GetBoolean(), s.GetProperty("ProcessId").GetInt32()))];
    }

    private static IReadOnlyList<string> Recorded(string output) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "prepare-state.json"))).RootElement
            .GetProperty("stoppedServices").EnumerateArray().Select(s => $"{s.GetProperty("host").GetString()}: {s.GetProperty("name").GetString()}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task On_2022_prepare_stops_omonitor_and_oremoting_reports_the_hang_force_stop_ends_it_and_resume_starts_all()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", Scenario, "--output", "out", "--format", "json");

        Assert.True(prepare.ExitCode == 1, prepare.ToString());
        var report = ReportJson.Parse(prepare.StandardOutput);
        var blocked = Check(report, "runbooks.starts-blocked");
        Assert.Equal("unmet", blocked.GetProperty("status").GetString());
        Assert.Contains("orch-ms01: omonitor", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var hung = Assert.Single(Actions(report), a => a.Target == "orch-ms01: omonitor");
        Assert.Equal(("block-starts", "failed"), (hung.Kind, hung.Outcome));
        Assert.Contains("it reports StopPending, process ID 2208", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("on orch-ms01 run `taskkill /f /pid 2208`", hung.Detail, StringComparison.Ordinal);
        Assert.Contains(Actions(report), a => a is { Target: "orch-ms01: oremoting", Outcome: "stopped" });
        Assert.Equal(3, Actions(report).Count(a => a.Target.EndsWith(": orunbook", StringComparison.Ordinal) && a.Outcome == "stopped"));
        // No process ended without --force-stop, no backup taken while a service is still stopping.
        Assert.Contains(Services(output), s => s is { Host: "orch-ms01", Name: "omonitor", StopPending: true, ProcessId: 2208 });
        Assert.DoesNotContain(Actions(report), a => a.Outcome == "force-stopped" || (a.Kind == "backup" && a.Outcome == "done"));
        Assert.Equal(["orch-ms01: omonitor", "orch-ms01: oremoting", "orch-ms01: orunbook", "orch-rb02: orunbook", "orch-rb03: orunbook"], Recorded(output));

        var forced = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", Scenario, "--force-stop", "--output", "out", "--format", "json");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        var ended = Assert.Single(Actions(ReportJson.Parse(forced.StandardOutput)), a => a.Target == "orch-ms01: omonitor");
        Assert.Equal(("block-starts", "force-stopped"), (ended.Kind, ended.Outcome));
        Assert.Contains("--force-stop ended process 2208", ended.Detail, StringComparison.Ordinal);
        Assert.All(Services(output).Where(s => s.Name is "orunbook" or "omonitor" or "oremoting"), s => Assert.False(s.Running || s.StopPending, $"{s.Host}: {s.Name}"));

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", Scenario, "--output", "out", "--format", "json");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        var started = Actions(ReportJson.Parse(resume.StandardOutput)).Where(a => a.Kind == "start-service" && a.Outcome == "started").Select(a => a.Target).Order(StringComparer.Ordinal);
        Assert.Equal(["orch-ms01: omonitor", "orch-ms01: oremoting", "orch-ms01: orunbook", "orch-rb02: orunbook", "orch-rb03: orunbook"], started);
        Assert.All(Services(output), s => Assert.True(s.Running, $"{s.Host}: {s.Name}"));
        Assert.Empty(Recorded(output));
    }

    [Fact]
    public async Task With_force_stop_first_prepare_ends_the_hung_monitor_and_passes()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", Scenario, "--force-stop", "--output", "out", "--format", "json");

        Assert.True(prepare.ExitCode == 0, prepare.ToString());
        var report = ReportJson.Parse(prepare.StandardOutput);
        Assert.Equal("met", Check(report, "runbooks.starts-blocked").GetProperty("status").GetString());
        var ended = Assert.Single(Actions(report), a => a.Target == "orch-ms01: omonitor");
        Assert.Equal("force-stopped", ended.Outcome);
        Assert.Contains("--force-stop ended process 2208", ended.Detail, StringComparison.Ordinal);
        Assert.Contains(Actions(report), a => a is { Kind: "backup", Outcome: "done" });
    }
}
