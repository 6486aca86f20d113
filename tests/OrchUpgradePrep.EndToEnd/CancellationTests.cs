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
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        // Wait until the run has started (it announces itself on stderr), bounded.
        var plan = Path.Combine(dir.Path, "out");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
