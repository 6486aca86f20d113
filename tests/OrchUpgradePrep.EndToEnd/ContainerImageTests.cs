using System.Diagnostics;
using System.Text;
using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>
/// The Linux image itself, built by .ci/run with podman against a local Debian base (docs/packaging.md) and named in
/// ORCHPREP_TEST_IMAGE; skipped, visibly, without it. The container runs with the mounts a runner gives it.
/// </summary>
public sealed class ContainerImageTests
{
    private const string RunnerUid = "1001";
    private static readonly string? Image = Environment.GetEnvironmentVariable("ORCHPREP_TEST_IMAGE");

    [Fact]
    public async Task The_image_checks_the_ready_sandbox_as_the_runners_user_into_a_folder_that_user_owns()
    {
        SkipWithoutImage();
        using var dir = RunnerOwnedDirectory();

        var run = await RunAsync(["--user", $"{RunnerUid}:{RunnerUid}", "-v", $"{dir.Path}:{dir.Path}", "-w", dir.Path], "check", "--sandbox=ready", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("met", ReportJson.Load(Path.Combine(dir.Path, "out", "report.json")).Outcome);
    }

    [Fact]
    public async Task Prepare_in_the_image_makes_every_prerequisite_hold()
    {
        SkipWithoutImage();
        using var dir = RunnerOwnedDirectory();

        var run = await RunAsync(["--user", $"{RunnerUid}:{RunnerUid}", "-v", $"{dir.Path}:{dir.Path}", "-w", dir.Path], "prepare", "--sandbox", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal("met", report.Outcome);
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "prepare-state.json")));
    }

    [Fact]
    public async Task A_read_only_mount_gets_the_reason_on_the_console_and_exit_2_not_a_crash()
    {
        SkipWithoutImage();
        using var dir = new TempDirectory();

        var run = await RunAsync(["-v", $"{dir.Path}:/work:ro"], "check", "--sandbox=ready", "--output", "out");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("orchprep: the output folder /work/out cannot be written: Read-only file system", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_image_user_on_a_folder_it_may_not_write_gets_exit_2_naming_the_folder()
    {
        SkipWithoutImage();
        using var dir = RunnerOwnedDirectory();

        // No --user: the image's own "app" (1654) against a folder owned by the runner's user, as docker run gives it.
        var run = await RunAsync(["-v", $"{dir.Path}:{dir.Path}", "-w", dir.Path], "check", "--sandbox=ready", "--output", "out");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"orchprep: the output folder {Path.Combine(dir.Path, "out")} cannot be written: Access to the path", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_against_the_web_service_gets_the_servers_401_not_a_library_load_failure()
    {
        SkipWithoutImage();
        using var dir = RunnerOwnedDirectory();
        await using var sandbox = await FaultSandbox.StartAsync(dir.Path, "ready",
            editConfig: config => config.Replace("auth: basic", "auth: negotiate", StringComparison.Ordinal));
        var env = sandbox.Env.SelectMany(e => (string[])["-e", $"{e.Key}={e.Value}"]).ToArray();

        var run = await RunAsync(["--network", "host", "--user", $"{RunnerUid}:{RunnerUid}", "-v", $"{dir.Path}:{dir.Path}", "-w", dir.Path, .. env],
            "check", "--config", sandbox.ConfigPath, "--only", "runbooks.none-running", "--format", "json");

        var all = run.StandardOutput + run.StandardError;
        Assert.DoesNotContain("libgssapi_krb5", all, StringComparison.Ordinal);
        Assert.Contains("401", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_image_this_machine_is_never_read_as_an_orchestrator_host()
    {
        SkipWithoutImage();
        using var dir = RunnerOwnedDirectory();
        var config = HostsCommandTests.LocalHostConfig(dir.Path, "localhost");

        var run = await RunAsync(["--user", $"{RunnerUid}:{RunnerUid}", "-v", $"{dir.Path}:{dir.Path}", "-w", dir.Path], "check", "--config", config, "--format", "json");

        Assert.True(run.ExitCode == 3, run.ToString());
        var checks = ReportJson.Parse(run.StandardOutput).Checks.Where(c => c.GetProperty("host").GetString() == "localhost").ToList();
        Assert.NotEmpty(checks);
        // podman leaves /run/.containerenv (Docker /.dockerenv): the detection reads what the engine really left.
        Assert.All(checks, c => Assert.Contains("orchprep runs in a container (/run/.containerenv exists)", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
    }

    private static void SkipWithoutImage() =>
        Assert.SkipWhen(string.IsNullOrEmpty(Image), "ORCHPREP_TEST_IMAGE is not set (.ci/run builds the image with podman and sets it)");

    /// <summary>A scratch folder owned by a runner-like user (UID 1001), as a runner's workspace and temp folder are.</summary>
    private static TempDirectory RunnerOwnedDirectory()
    {
        var dir = new TempDirectory();
        using var chown = Process.Start(new ProcessStartInfo("chown", $"{RunnerUid}:{RunnerUid} {dir.Path}") { UseShellExecute = false })!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
        return dir;
    }

    private static async Task<ProcessRun> RunAsync(string[] podmanOptions, params string[] orchprepArgs)
    {
        var info = new ProcessStartInfo("podman")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in (string[])["run", "--rm", .. podmanOptions, Image!, .. orchprepArgs])
        {
            info.ArgumentList.Add(arg);
        }

        return await OrchPrepProcess.RunAsync(info, TimeSpan.FromMinutes(3));
    }
}
