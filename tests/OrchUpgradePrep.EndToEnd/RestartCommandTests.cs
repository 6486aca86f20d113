using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The restart checks through the CLI against the pending-restart sandbox (L1).</summary>
public sealed class RestartCommandTests
{
    private const string Cbs = @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing";
    private const string SessionManager = @"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager";

    private static readonly string[] Hosts = ["orch-ms01", "orch-rb02", "orch-rb03", "orch-web01"];

    [Fact]
    public async Task PendingRestartSandbox_ExitsOne_AndShowsEachSignalPerHostWithKeyAndValueEvidence()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=pending-restart", "--only", "restart", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        Assert.Equal("unmet", report.Outcome);
        Assert.All(report.Checks, c => Assert.Equal("restart", c.GetProperty("prerequisite").GetString()));

        // Every signal on every host, each with the location it read.
        var ids = report.Checks.Select(c => c.GetProperty("id").GetString()!).Distinct().ToArray();
        Assert.True(ids.Length >= 12, string.Join(", ", ids));
        foreach (var id in ids)
        {
            Assert.Equal(Hosts, report.Checks.Where(c => c.GetProperty("id").GetString() == id).Select(c => c.GetProperty("host").GetString()).Order());
        }

        Assert.All(report.Checks, c => Assert.NotEmpty(c.GetProperty("evidence").EnumerateArray()));
        Assert.DoesNotContain(report.Checks, c => c.GetProperty("status").GetString() == "error");

        Assert.Equal(
            [("restart.cbs-reboot-pending", "orch-ms01"), ("restart.computer-rename", "orch-ms01"), ("restart.server-manager-reboot-attempts", "orch-rb03"), ("restart.wu-reboot-required", "orch-rb02")],
            report.WithStatus("unmet").Order());
        Assert.Equal([("restart.pending-file-rename", "orch-rb02")], report.WithStatus("warning"));
        Assert.DoesNotContain(report.Checks, c => c.GetProperty("host").GetString() == "orch-web01" && c.GetProperty("status").GetString() is "unmet" or "warning");

        AssertEvidence(report, "restart.cbs-reboot-pending", "orch-ms01", Cbs + @"\RebootPending", "key present");
        AssertEvidence(report, "restart.cbs-reboot-pending", "orch-web01", Cbs + @"\RebootPending", "key absent");
        AssertEvidence(report, "restart.computer-rename", "orch-ms01", @"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName\ComputerName", "REG_SZ \"ORCH-MS01-NEW\"");
        AssertEvidence(report, "restart.server-manager-reboot-attempts", "orch-rb03", @"HKLM\SOFTWARE\Microsoft\ServerManager\CurrentRebootAttempts", "REG_DWORD 0x00000001 (1)");
        AssertEvidence(report, "restart.pending-file-rename", "orch-rb02", SessionManager + @"\PendingFileRenameOperations", "REG_MULTI_SZ");
        AssertEvidence(report, "restart.pending-file-rename", "orch-rb02", SessionManager + @"\PendingFileRenameOperations entry 1", "known-benign: temp-folder delete");

        // No ConfigMgr client on the sandbox hosts: not applicable, never failed.
        Assert.All(report.Checks.Where(c => c.GetProperty("id").GetString() == "restart.configmgr-client"),
            c => Assert.Equal("skipped", c.GetProperty("status").GetString()));

        var cbs = report.Check("restart.cbs-reboot-pending", "orch-ms01");
        Assert.Contains("Restart the host", cbs.GetProperty("remediation").GetString(), StringComparison.Ordinal);
        Assert.Equal("docs/checks/restart.cbs-reboot-pending.md", cbs.GetProperty("helpUri").GetString());
    }

    [Fact]
    public async Task SkippingOneSignal_ReportsItSkippedOnEveryHost_WithTheReason()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=pending-restart", "--only", "restart", "--skip", "restart.cbs-reboot-pending", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Parse(run.StandardOutput);
        var skipped = report.Checks.Where(c => c.GetProperty("id").GetString() == "restart.cbs-reboot-pending").ToArray();
        Assert.Equal(Hosts.Length, skipped.Length);
        Assert.All(skipped, c =>
        {
            Assert.Equal("skipped", c.GetProperty("status").GetString());
            Assert.Equal("skipped by --skip", c.GetProperty("detail").GetString());
        });

        // The other signals of orch-ms01 still run: the rename keeps the host unmet.
        Assert.Contains(("restart.computer-rename", "orch-ms01"), report.WithStatus("unmet"));
    }

    private static void AssertEvidence(ReportJson report, string id, string host, string source, string value)
    {
        var evidence = report.Check(id, host).GetProperty("evidence").EnumerateArray()
            .Select(e => (Source: e.GetProperty("source").GetString()!, Value: e.GetProperty("value").GetString()!))
            .ToArray();
        Assert.True(
            evidence.Any(e => e.Source == source && e.Value.Contains(value, StringComparison.Ordinal)),
            $"{id} on {host}: no evidence {source} = …{value}…; has: {string.Join(" | ", evidence.Select(e => $"{e.Source} = {e.Value}"))}");
    }
}
