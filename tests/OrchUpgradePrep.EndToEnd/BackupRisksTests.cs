using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The backup-risks and backup-folder-denied scenarios through the whole CLI: what a backup alone does not
/// prove (keys, size, log tables, Ola's log cleanup) and a service account denied on the backup folder.</summary>
public sealed class BackupRisksTests
{
    [Fact]
    public async Task Check_names_the_unbacked_keys_and_warns_on_size_log_tables_and_olas_cleanup()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=backup-risks", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal([("backup.encryption-keys", "sandbox")], report.WithStatus("unmet").ToArray());
        var keys = report.Check("backup.encryption-keys", "sandbox");
        Assert.Contains("[OrchestratorTDE]", keys.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("BACKUP CERTIFICATE [OrchestratorTDE]", keys.GetProperty("remediation").GetString(), StringComparison.Ordinal);
        Assert.Contains("BACKUP MASTER KEY", keys.GetProperty("remediation").GetString(), StringComparison.Ordinal);
        foreach (var id in new[] { "backup.database-size", "backup.log-hygiene", "backup.log-chain-interplay" })
        {
            Assert.Contains((id, "sandbox"), report.WithStatus("warning"));
        }

        Assert.Contains("58%", report.Check("backup.log-hygiene", "sandbox").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("#814", report.Check("backup.log-chain-interplay", "sandbox").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_stops_before_the_long_backup_when_the_service_account_may_not_write_the_folder()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "prepare", "--sandbox=backup-folder-denied", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        var access = report.Check("backup.service-account-access", "sandbox");
        Assert.Equal("unmet", access.GetProperty("status").GetString());
        var detail = access.GetProperty("detail").GetString()!;
        Assert.Contains(@"CONTOSO\gmsa-sql01$", detail, StringComparison.Ordinal);
        Assert.Contains("Operating system error 5(Access is denied.)", detail, StringComparison.Ordinal);
        Assert.Contains(access.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("value").GetString()!.StartsWith("Msg 3013", StringComparison.Ordinal));
        Assert.StartsWith("Not taken", report.Check("backup.taken", "sandbox").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*_orchprep.bak", SearchOption.AllDirectories));
    }
}
