using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The restore-elsewhere scenarios through the whole CLI: the test restore on the sandbox's second instance,
/// ORCH-SQL02\ORCH, that shares the backup folder (verified: restore, restoredOn) or does not (unmet, verifyonly, kept).</summary>
public sealed class RestoreElsewhereTests
{
    private const string RestoreServer = @"ORCH-SQL02\ORCH";

    [Fact]
    public async Task Prepare_restores_on_the_other_instance_names_it_and_warns_about_the_master_key()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=restore-elsewhere", "--only", "backup", "--output", "out");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Contains(("backup.test-restore", "sandbox"), report.WithStatus("met"));
        Assert.Contains(("backup.restore-keys", "sandbox"), report.WithStatus("warning"));
        var backup = report.Root.GetProperty("backup");
        Assert.Equal("restore", backup.GetProperty("verified").GetString());
        Assert.Equal(RestoreServer, backup.GetProperty("restoredOn").GetString());
        Assert.Contains(report.Root.GetProperty("actions").EnumerateArray(),
            a => a.GetProperty("kind").GetString() == "verify" && a.GetProperty("target").GetString() == RestoreServer && a.GetProperty("outcome").GetString() == "done");
        Assert.Contains("is not a UNC path", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(@"backup verified: restore on ORCH-SQL02\ORCH", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_with_a_folder_the_other_instance_cannot_see_is_unmet_and_keeps_the_backup_verified()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=restore-elsewhere-unreachable", "--only", "backup", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        var restore = report.Check("backup.test-restore", "sandbox");
        Assert.Equal("unmet", restore.GetProperty("status").GetString());
        var detail = restore.GetProperty("detail").GetString()!;
        Assert.Contains(@"CONTOSO\gmsa-sql02$", detail, StringComparison.Ordinal);
        Assert.Contains("operating system error 3(", detail, StringComparison.Ordinal);
        var backup = report.Root.GetProperty("backup");
        Assert.Equal("verifyonly", backup.GetProperty("verified").GetString());
        Assert.False(backup.TryGetProperty("restoredOn", out _));
        Assert.All(backup.GetProperty("files").EnumerateArray(), f => Assert.True(File.Exists(f.GetProperty("path").GetString()), f.ToString()));
    }

    [Fact]
    public async Task Prepare_on_an_older_instance_says_a_newer_backup_never_restores_there()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=restore-elsewhere-older", "--only", "backup", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var restore = report.Check("backup.test-restore", "sandbox");
        Assert.Contains("older SQL Server", restore.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("verifyonly", report.Root.GetProperty("backup").GetProperty("verified").GetString());
    }

    [Fact]
    public async Task Restore_server_without_a_restore_is_a_usage_error()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox", "--restore-server", RestoreServer);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("needs --verify restore", run.StandardError, StringComparison.Ordinal);
    }
}
