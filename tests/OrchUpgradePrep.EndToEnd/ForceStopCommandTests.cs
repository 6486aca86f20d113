using System.Text.Json;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// Scenario service-stop-hangs (orch-rb02's Runbook Service stays StopPending, process 2220), the CLI as a process:
/// prepare ends no process unless --force-stop is given, names the PID and the documented workaround, and every
/// service it stopped is recorded so resume starts it again.
/// </summary>
public sealed class ForceStopCommandTests
{
    private static IReadOnlyList<(string Kind, string Target, string Outcome, string Detail)> Actions(ReportJson report) =>
        [.. report.Root.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("target").GetString()!, a.GetProperty("outcome").GetString()!, a.GetProperty("detail").GetString()!))];

    /// <summary>The sandbox's services as the next run will find them (kept beside the state in the output folder).</summary>
    private static IReadOnlyList<(string Host, string Name, bool Running, bool StopPending, int ProcessId)> Services(string output)
    {
        var world = JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(output, "sandbox-world-*.json").Single())).RootElement;
        return [.. world.GetProperty("Services").EnumerateArray().Select(s => (s.GetProperty("Host").GetString()!, s.GetProperty("Name").GetString()!,
            s.GetProperty("Running").GetBoolean(), s.GetProperty("StopPending").GetBoolean(), s.GetProperty("ProcessId").GetInt32()))];
    }

    private static IReadOnlyList<string> Recorded(string output) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "prepare-state.json"))).RootElement
            .GetProperty("stoppedServices").EnumerateArray().Select(s => $"{s.GetProperty("host").GetString()}: {s.GetProperty("name").GetString()}").Order()];

    [Fact]
    public async Task Without_force_stop_prepare_is_unmet_naming_the_pid_and_workaround_ends_nothing_and_resume_keeps_the_service_for_later()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=service-stop-hangs", "--output", "out", "--format", "json");

        Assert.True(prepare.ExitCode == 1, prepare.ToString());
        var report = ReportJson.Parse(prepare.StandardOutput);
        Assert.Equal("unmet", report.Root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "runbooks.starts-blocked").GetProperty("status").GetString());
        var hung = Assert.Single(Actions(report), a => a.Target == "orch-rb02: orunbook");
        Assert.Equal(("block-starts", "failed"), (hung.Kind, hung.Outcome));
        Assert.Contains("did not stop within 3s", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("it reports StopPending, process ID 2220", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("on orch-rb02 run `taskkill /f /pid 2220`", hung.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Actions(report), a => a.Target == "orch-rb02: orunbook" && a.Outcome is "stopped" or "force-stopped");
        Assert.Contains(Services(output), s => s is { Host: "orch-rb02", Name: "orunbook", StopPending: true, ProcessId: 2220 });
        Assert.Equal(["orch-ms01: orunbook", "orch-rb02: orunbook", "orch-rb03: orunbook"], Recorded(output));

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=service-stop-hangs", "--output", "out", "--format", "json");

        Assert.True(resume.ExitCode == 1, resume.ToString());
        var pending = Assert.Single(Actions(ReportJson.Parse(resume.StandardOutput)), a => a.Target == "orch-rb02: orunbook");
        Assert.Equal(("start-service", "failed"), (pending.Kind, pending.Outcome));
        Assert.Contains("`taskkill /f /pid 2220`", pending.Detail, StringComparison.Ordinal);
        Assert.Equal(["orch-rb02: orunbook"], Recorded(output));
        Assert.All(Services(output).Where(s => s.Name == "orunbook" && s.Host != "orch-rb02"), s => Assert.True(s.Running, s.Host));
    }

    [Fact]
    public async Task With_force_stop_prepare_ends_that_process_passes_and_resume_starts_every_service()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");

        var prepare = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=service-stop-hangs", "--force-stop", "--output", "out", "--format", "json");

        Assert.True(prepare.ExitCode == 0, prepare.ToString());
        var forced = Assert.Single(Actions(ReportJson.Parse(prepare.StandardOutput)), a => a.Target == "orch-rb02: orunbook");
        Assert.Equal(("block-starts", "force-stopped"), (forced.Kind, forced.Outcome));
        Assert.Contains("--force-stop ended process 2220", forced.Detail, StringComparison.Ordinal);
        Assert.All(Services(output).Where(s => s.Name == "orunbook"), s => Assert.False(s.Running || s.StopPending, s.Host));

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=service-stop-hangs", "--output", "out", "--format", "json");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.All(Services(output), s => Assert.True(s.Running, $"{s.Host}: {s.Name}"));
        Assert.Empty(Recorded(output));
    }

    [Fact]
    public async Task Check_and_resume_do_not_accept_the_switch()
    {
        using var dir = new TempDirectory();

        var check = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=service-stop-hangs", "--force-stop");
        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=service-stop-hangs", "--force-stop", "--if-present");

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.True(resume.ExitCode == 2, resume.ToString());
    }
}
