using System.Text.Json;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Tests.Sandbox;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

/// <summary>
/// prepare against scenario service-stop-hangs (orch-rb02's Runbook Service stays StopPending, process 2220) in-process:
/// without --force-stop it ends no process and is unmet naming the PID and the workaround; with it, it ends that process
/// and passes; resume afterwards starts every service it stopped.
/// </summary>
public sealed class ForceStopCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-forcestop-");

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(int Exit, JsonElement Report, string Stderr)> RunAsync(Action<SandboxSession> started, params string[] args)
    {
        var output = Path.Combine(_work.FullName, "out");
        var (exit, _, stderr) = await InProcessCli.RunAsync([.. args, "--sandbox=service-stop-hangs", "--format", "json", "--output", output], workingDirectory: _work.FullName,
            sandboxes: new KeptSandboxLauncher(Path.Combine(_work.FullName, "sandbox"), started));
        return (exit, JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement.Clone(), stderr);
    }

    private static IReadOnlyList<(string? Kind, string? Target, string? Outcome, string? Detail)> Actions(JsonElement report) =>
        [.. report.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("kind").GetString(), a.GetProperty("target").GetString(), a.GetProperty("outcome").GetString(), a.GetProperty("detail").GetString()))];

    [Fact]
    public async Task Without_force_stop_prepare_ends_no_process_and_is_unmet_naming_the_pid_and_the_workaround()
    {
        SandboxSession? session = null;

        var (exit, report, stderr) = await RunAsync(s => session = s, "prepare");

        Assert.True(exit == 1, $"exit {exit}\n{stderr}");
        Assert.Contains("orchprep: block-starts: stopping Orchestrator Runbook Service (orunbook) on orch-rb02 (waiting up to 3s for Stopped)", stderr, StringComparison.Ordinal);
        var hung = Assert.Single(Actions(report), a => a.Target == "orch-rb02: orunbook");
        Assert.Equal(("block-starts", "failed"), (hung.Kind, hung.Outcome));
        Assert.Contains("it reports StopPending, process ID 2220", hung.Detail, StringComparison.Ordinal);
        Assert.Contains("on orch-rb02 run `taskkill /f /pid 2220`", hung.Detail, StringComparison.Ordinal);
        var blocked = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "runbooks.starts-blocked");
        Assert.Equal("unmet", blocked.GetProperty("status").GetString());
        Assert.Contains("taskkill /f /pid 2220", blocked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("StopPending", session!.Orchestrator.Services("orch-rb02").Single().State);
        Assert.DoesNotContain(session.Orchestrator.Changes, c => c.Contains("ended", StringComparison.Ordinal));
        var state = File.ReadAllText(Path.Combine(_work.FullName, "out", "prepare-state.json"));
        Assert.Contains("orch-rb02", state, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_force_stop_prepare_ends_that_process_and_passes_and_resume_starts_every_service_again()
    {
        SandboxSession? prepared = null;
        var (exit, report, stderr) = await RunAsync(s => prepared = s, "prepare", "--force-stop");

        Assert.True(exit == 0, $"exit {exit}\n{stderr}");
        var forced = Assert.Single(Actions(report), a => a.Target == "orch-rb02: orunbook");
        Assert.Equal(("block-starts", "force-stopped"), (forced.Kind, forced.Outcome));
        Assert.Contains("--force-stop ended process 2220", forced.Detail, StringComparison.Ordinal);
        Assert.Contains("orch-rb02: process 2220 of service orunbook ended", prepared!.Orchestrator.Changes);

        SandboxSession? resumed = null;
        var (resumeExit, _, resumeErr) = await RunAsync(s => resumed = s, "resume");

        Assert.True(resumeExit == 0, $"exit {resumeExit}\n{resumeErr}");
        Assert.All(new[] { "orch-ms01", "orch-rb02", "orch-rb03" }.SelectMany(h => resumed!.Orchestrator.Services(h)), s => Assert.Equal("Running", s.State));
    }
}
