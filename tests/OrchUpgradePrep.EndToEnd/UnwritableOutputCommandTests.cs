using System.Diagnostics;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The real process against real mounts: a read-only output mount (as a container's `:ro` volume) and a disk that fills
/// up mid-run (a tiny tmpfs), each in a private mount namespace (unshare -m, root on Linux; skipped elsewhere). Also: a
/// sandbox run killed with SIGKILL leaves a temp folder that the next sandbox run removes.
/// </summary>
public sealed class UnwritableOutputCommandTests
{
    private static readonly Lazy<string?> MountsUnavailable = new(WhyNoMounts);

    [Fact]
    public async Task Prepare_into_a_read_only_mount_exits_2_naming_the_folder_before_it_changes_anything()
    {
        Assert.SkipWhen(MountsUnavailable.Value is not null, MountsUnavailable.Value ?? string.Empty);
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(output);

        var run = await RunMountedAsync(dir.Path, "mount --bind -o ro \"$MOUNT_TARGET\" \"$MOUNT_TARGET\"", output, "prepare", "--sandbox", "--output", output);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"orchprep: the output folder {output} cannot be written: Read-only file system", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("draining runbooks", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task Prepare_onto_a_disk_that_fills_up_prints_the_verdict_and_backup_and_writes_the_report_to_the_fallback()
    {
        Assert.SkipWhen(MountsUnavailable.Value is not null, MountsUnavailable.Value ?? string.Empty);
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(output);

        // 48 KiB: the probe, the state file and the sandbox's saved world fit; prepare's report.json (about 80 KiB) does not.
        // The simulated server's disk kept in out/sandbox-server is a volume of its own, as a real SQL Server's backup
        // folder is: the backup fits there, the report does not fit beside it.
        var serverDisk = Directory.CreateDirectory(Path.Combine(dir.Path, "server-disk")).FullName;
        var run = await RunMountedAsync(dir.Path,
            $"mount -t tmpfs -o size=48k tmpfs \"$MOUNT_TARGET\" && mkdir \"$MOUNT_TARGET/sandbox-server\" && mount --bind \"{serverDisk}\" \"$MOUNT_TARGET/sandbox-server\"",
            output, "prepare", "--sandbox", "--output", output);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"orchprep: the report could not be written to {output}: No space left on device", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("orchprep: verdict: MET:", run.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"orchprep: backup file: \S+_orchprep\.bak \d+ bytes sha256 [0-9a-f]{64}", run.StandardError);
        Assert.Single(Directory.EnumerateFiles(serverDisk, "*_orchprep.bak", SearchOption.AllDirectories));
        Assert.Contains("orchprep: action: block-starts stopped:", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        var fallback = Directory.EnumerateDirectories(Path.Combine(dir.Path, ".orchprep", "sandbox"), "undelivered-*").Single();
        Assert.Contains($"orchprep: the report was written instead to {fallback}", run.StandardError, StringComparison.Ordinal);
        Assert.Equal("met", ReportJson.Load(Path.Combine(fallback, "report.json")).Outcome);
    }

    [Fact]
    public async Task A_sandbox_run_killed_with_SIGKILL_leaves_a_temp_folder_that_the_next_sandbox_run_removes()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "reads TMPDIR, as Path.GetTempPath does on Unix");
        using var dir = new TempDirectory();
        var temp = Directory.CreateDirectory(Path.Combine(dir.Path, "tmp")).FullName;
        var environment = new Dictionary<string, string?> { ["TMPDIR"] = temp };
        using (var process = Process.Start(OrchPrepProcess.StartInfo(dir.Path, environment, "check", "--sandbox=slow"))!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var (running, stderr) = CancellationTests.WatchStandardError(process, "orchprep: running");
            await running.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            await Task.WhenAll(stdout, stderr);
        }

        Assert.Single(Directory.EnumerateDirectories(temp, "orchprep-sandbox-*"));

        var next = await OrchPrepProcess.RunAsync(dir.Path, environment, "check", "--sandbox=ready");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Empty(Directory.EnumerateDirectories(temp, "orchprep-sandbox-*"));
    }

    /// <summary>orchprep inside a private mount namespace, after <paramref name="mount"/> (which reads $MOUNT_TARGET) succeeded.</summary>
    private static async Task<ProcessRun> RunMountedAsync(string workingDirectory, string mount, string target, params string[] args)
    {
        var inner = OrchPrepProcess.StartInfo(workingDirectory, new Dictionary<string, string?> { ["MOUNT_TARGET"] = target }, args);
        var info = new ProcessStartInfo("unshare")
        {
            WorkingDirectory = inner.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = inner.StandardOutputEncoding,
            StandardErrorEncoding = inner.StandardErrorEncoding,
        };
        info.Environment.Clear();
        foreach (var (key, value) in inner.Environment)
        {
            info.Environment[key] = value;
        }

        foreach (var arg in (string[])["-m", "sh", "-c", mount + " && exec \"$@\"", "sh", inner.FileName, .. inner.ArgumentList])
        {
            info.ArgumentList.Add(arg);
        }

        return await OrchPrepProcess.RunAsync(info);
    }

    /// <summary>Null when this machine lets the test make private mounts (Linux, root, unshare); otherwise why not.</summary>
    private static string? WhyNoMounts()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "private mount namespaces are Linux's";
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("unshare", "-m sh -c \"mount -t tmpfs -o size=4k tmpfs /mnt\"") { UseShellExecute = false, RedirectStandardError = true })!;
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : "unshare -m with mount is not permitted here (needs root or CAP_SYS_ADMIN)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unshare is not installed";
        }
    }
}
