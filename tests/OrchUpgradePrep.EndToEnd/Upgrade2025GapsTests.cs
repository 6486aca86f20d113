using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>The upgrade-2025-gaps scenario through the whole CLI: 2022 UR3 hosts whose 2025 gaps the checks name.</summary>
public sealed class Upgrade2025GapsTests
{
    [Fact]
    public async Task Check_for_2025_is_unmet_naming_each_gap()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=upgrade-2025-gaps", "--target", "2025", "--output", "out");

        Assert.True(run.ExitCode == 1, run.ToString());
        var report = ReportJson.Load(Path.Combine(dir.Path, "out", "report.json"));
        Assert.Equal("2025", report.Root.GetProperty("target").GetString());
        Assert.Equal("2025 UR1", report.Root.GetProperty("targetLevel").GetString());
        Assert.Equal(
            [
                ("accounts.service", "orch-ms01"),
                ("accounts.service", "orch-rb02"),
                ("accounts.service", "orch-rb03"),
                ("accounts.upgrade-admin", "orch-rb03"),
                ("requirements.integration-packs", "orch-ms01"),
                ("requirements.integration-packs", "orch-rb02"),
                ("requirements.integration-packs", "orch-rb03"),
                ("requirements.oledb-driver", "orch-rb02"),
                ("requirements.sql-certificate-trust", "orch-rb02"),
                ("requirements.sql-certificate-trust", "orch-rb03"),
                ("requirements.sql-certificate-trust", "orch-web01"),
                ("requirements.vcredist", "orch-rb03"),
                ("restart.dsc-pending-reboot", "orch-web01"),
                ("runbooks.checked-out", "sandbox"),
            ],
            report.WithStatus("unmet").Order().ToArray());
        Assert.Contains(("restart.pending-file-rename", "orch-ms01"), report.WithStatus("warning"));
        Assert.Contains(("requirements.sql-certificate-trust", "orch-ms01"), report.WithStatus("warning"));

        // The sandbox SQL Server's certificate is self-signed: the runner's SqlClient names the chain error.
        var trust = report.Check("requirements.sql-certificate-trust", "orch-rb03");
        Assert.Contains("UntrustedRoot", trust.GetProperty("evidence").ToString(), StringComparison.Ordinal);
        Assert.Contains("TrustServerCertificate is off on this host", trust.GetProperty("detail").GetString()!, StringComparison.Ordinal);

        var oleDb = report.Check("requirements.oledb-driver", "orch-rb02").GetProperty("detail").GetString()!;
        Assert.Contains("Microsoft OLE DB Driver for SQL Server 18.7.4.0", oleDb, StringComparison.Ordinal);
        var vc = report.Check("requirements.vcredist", "orch-rb03").GetProperty("detail").GetString()!;
        Assert.Contains("14.30.30704", vc, StringComparison.Ordinal);

        var checkedOut = report.Check("runbooks.checked-out", "sandbox").GetProperty("evidence")[0].GetProperty("value").GetString()!;
        Assert.Equal(@"\Finance\Month-end close: checked out by CONTOSO\jdoe at 2026-11-20 16:42 UTC", checkedOut);
        var packs = report.Check("requirements.integration-packs", "orch-rb02").GetProperty("detail").GetString()!;
        Assert.Contains(@"Active Directory 10.19.25.0 (used by 2: \Maintenance\Nightly cleanup, \Provisioning\New VM request)", packs, StringComparison.Ordinal);
        Assert.Contains("System Center Operations Manager 10.19.38.0", packs, StringComparison.Ordinal);
        Assert.DoesNotContain("Exchange Admin", packs, StringComparison.Ordinal);
        var admin = report.Check("accounts.upgrade-admin", "orch-rb03").GetProperty("detail").GetString()!;
        Assert.Contains("OrchestratorSystemGroup only", admin, StringComparison.Ordinal);
        Assert.Equal("accounts", report.Check("accounts.upgrade-admin", "orch-rb03").GetProperty("prerequisite").GetString());
        // The services' domain account has an expired password: named per service on each host that runs one.
        var service = report.Check("accounts.service", "orch-ms01").GetProperty("detail").GetString()!;
        Assert.Contains(@"omanagement as CONTOSO\svc-orch: password expired", service, StringComparison.Ordinal);

        // The installed 10.22.10.2 is named for what it is.
        var path = report.Check("requirements.upgrade-path", "orch-ms01").GetProperty("detail").GetString()!;
        Assert.Contains("2022 UR3 (10.22.10.2) → 2025", path, StringComparison.Ordinal);
        Assert.Contains("update level 2025 UR1", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_level_the_tool_does_not_know_is_a_usage_error_listing_the_forms()
    {
        using var dir = new TempDirectory();

        var run = await OrchPrepProcess.RunAsync(dir.Path, null, "check", "--sandbox=upgrade-2025-gaps", "--target", "2025UR7");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'2025UR7' is not valid", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("2022 RTM|UR1..UR3", run.StandardError, StringComparison.Ordinal);
    }
}
