using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>Ctrl+C (SIGINT) during a run: exit 130 and the partial report is still written.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Interrupting_a_slow_run_exits_130_and_writes_the_partial_report()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2); Windows has no equivalent for a child process");
        using var dir = new TempDirectory();
        using var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, null, "check", "--sandbox=slow", "--output", "out"))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var (announced, stderr) = WatchStandardError(process, "orchprep: running");

        // Wait until the run has started its checks (it announces itself on stderr), bounded; the slow hosts then take 2 s per read.
        var plan = Path.Combine(dir.Path, "out");
        await announced.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.False(process.HasExited, "the slow scenario finished before it could be interrupted");
        Assert.Equal(0, Kill(process.Id, 2));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var run = new ProcessRun(process.ExitCode, await stdout, await stderr);

        Assert.True(run.ExitCode == 130, run.ToString());
        var report = ReportJson.Load(Path.Combine(plan, "report.json"));
        Assert.Equal("cancelled", report.Outcome);
        Assert.True(File.Exists(Path.Combine(plan, "junit.xml")));
    }

    [Fact]
    public async Task Interrupting_prepare_while_it_drains_keeps_the_stopped_monitor_in_the_state_for_resume()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "sends SIGINT with kill(2); Windows has no equivalent for a child process");
        using var dir = new TempDirectory();
        using var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, null, "prepare", "--sandbox=busy", "--drain-timeout", "2m", "--output", "out"))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var (waiting, stderr) = WatchStandardError(process, "drain: waiting for");

        // The busy scenario's month-end close runs for hours: once the drain says it waits, the monitor is already stopped.
        await waiting.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(0, Kill(process.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var run = new ProcessRun(process.ExitCode, await stdout, await stderr);

        Assert.True(run.ExitCode == 130, run.ToString());
        var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "prepare-state.json"))).RootElement;
        Assert.Equal(1, state.GetProperty("stoppedMonitors").GetArrayLength());
        Assert.Equal(0, state.GetProperty("stoppedServices").GetArrayLength());
        Assert.Equal("cancelled", ReportJson.Load(Path.Combine(dir.Path, "out", "report.json")).Outcome);

        var resume = await OrchPrepProcess.RunAsync(dir.Path, null, "resume", "--sandbox=busy", "--output", "out", "--format", "json");

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("\"start-monitor\"", resume.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Reads stderr line by line: a task that completes when a line starts with <paramref name="prefix"/>, and all of it at the end.</summary>
    internal static (Task Seen, Task<string> All) WatchStandardError(Process process, string prefix)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = Task.Run(async () =>
        {
            var lines = new List<string>();
            while (await process.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }

            return string.Join('\n', lines);
        }, TestContext.Current.CancellationToken);
        return (seen.Task, all);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
