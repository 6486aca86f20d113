using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Requirements.RequirementFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class OleDbDriverCheckTests
{
    private const string Driver18 = "Microsoft OLE DB Driver for SQL Server";
    private const string Driver19 = "Microsoft OLE DB Driver 19 for SQL Server";

    [Theory]
    [InlineData(TargetVersion.V2022, Driver18, "18.7.4.0", false)]
    [InlineData(TargetVersion.V2022, Driver19, "19.3.5.0", false)]
    [InlineData(TargetVersion.V2025, Driver19, "19.3.5.0", false)]
    [InlineData(TargetVersion.V2025, Driver19, "19.3.5.0", true)]
    public async Task The_driver_the_target_needs_is_met_in_either_registry_view(TargetVersion target, string name, string version, bool wow64)
    {
        var outcome = await Run(new OleDbDriverCheck(), Host().WithOrchestrator("10.22.10.2").WithOleDbDriver(name, version, wow64), target);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains($"{name} {version} is installed", outcome.Detail, StringComparison.Ordinal);
        AssertEvidenceMentions(outcome, version);
    }

    [Fact]
    public async Task Driver_18_alone_is_unmet_for_2025_and_names_what_was_found()
    {
        var outcome = await Run(new OleDbDriverCheck(), Host().WithOrchestrator("10.22.10.2").WithOleDbDriver(Driver18, "18.7.4.0"), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("Only Microsoft OLE DB Driver for SQL Server 18.7.4.0 is installed", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Orchestrator 2025 UR1 needs the OLE DB Driver version 19", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("OLE DB Driver 19 for SQL Server", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_driver_is_unmet()
    {
        var outcome = await Run(new OleDbDriverCheck(), Host().WithOrchestrator("10.19.126.0"), TargetVersion.V2022);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("No Microsoft OLE DB Driver for SQL Server is installed", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_views_the_snapshot_did_not_export_are_an_error_never_met()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();

        var outcome = await Run(new OleDbDriverCheck(), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("not hold", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("docs/snapshots.md", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TargetVersion.V2019)]
    [InlineData(TargetVersion.V2016)]
    public async Task Targets_before_2022_skip_it_with_the_reason(TargetVersion target)
    {
        var outcome = await Run(new OleDbDriverCheck(), Host(), target);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("does not use the Microsoft OLE DB Driver", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_on_the_uninstall_key_is_an_error()
    {
        var host = Host().WithOleDbDriver(Driver19, "19.3.5.0");
        host.FakeRegistry.Unreadable.Add(UninstallEntries.View64);

        var result = await DriverChecks.RunThroughRunner(new OleDbDriverCheck(), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("access denied", result.Detail, StringComparison.Ordinal);
    }
}

public sealed class VcRedistCheckTests
{
    [Theory]
    [InlineData(34u, 31931u)]
    [InlineData(40u, 33810u)]
    public async Task A_runtime_of_14_34_or_later_is_met_for_2025(uint minor, uint build)
    {
        var outcome = await Run(new VcRedistCheck(), Host().WithVcRedist(minor, build), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains($"14.{minor}.{build}", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_14_30_is_unmet_for_2025_and_names_it()
    {
        var outcome = await Run(new VcRedistCheck(), Host().WithVcRedist(30, 30704), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("14.30.30704 is older than the 14.34 or later", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("latest-supported-vc-redist", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_version_string_decides_when_the_dwords_are_missing()
    {
        var host = Host();
        host.FakeRegistry.Key(VcRedistCheck.RuntimeKey, FakeRegistry.Dword("Installed", 1), FakeRegistry.Sz("Version", "v14.29.30139.00"));

        var outcome = await Run(new VcRedistCheck(), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("14.29.30139", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_runtime_key_is_unmet()
    {
        var outcome = await Run(new VcRedistCheck(), Host(), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("not installed", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_not_1_is_unmet()
    {
        var host = Host();
        host.FakeRegistry.Key(VcRedistCheck.RuntimeKey, FakeRegistry.Dword("Installed", 0), FakeRegistry.Dword("Major", 14), FakeRegistry.Dword("Minor", 40));

        Assert.Equal(CheckStatus.Unmet, (await Run(new VcRedistCheck(), host, TargetVersion.V2025)).Status);
    }

    [Fact]
    public async Task A_key_the_snapshot_did_not_export_is_an_error_never_met()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();

        var outcome = await Run(new VcRedistCheck(), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("not exported", outcome.Evidence.Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_is_an_error()
    {
        var host = Host().WithVcRedist(40, 33810);
        host.FakeRegistry.Unreadable.Add(VcRedistCheck.RuntimeKey);

        var result = await DriverChecks.RunThroughRunner(new VcRedistCheck(), host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("access denied", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TargetVersion.V2022)]
    [InlineData(TargetVersion.V2019)]
    public async Task Targets_whose_requirements_name_no_runtime_skip_it_with_the_reason(TargetVersion target)
    {
        var outcome = await Run(new VcRedistCheck(), Host(), target);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("name no Visual C++ Redistributable", outcome.Detail, StringComparison.Ordinal);
    }
}

internal static class DriverChecks
{
    /// <summary>Through the real runner, so a registry read that throws (access denied) becomes the report's error.</summary>
    public static async Task<CheckResult> RunThroughRunner(ICheck check, FakeHostFacts host, TargetVersion target)
    {
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Target = target,
            Hosts = [new HostConfig { Name = host.HostName, Roles = [HostRole.RunbookServer] }],
        };
        var plan = CheckPlanner.Plan([check], environment, CheckSelection.All);
        var run = await new CheckRunner(new CheckRunnerOptions(), new FakeHostFactsSource(host), TimeProvider.System)
            .RunAsync(plan, environment, target, progress: null, TestContext.Current.CancellationToken);
        return run.Results.Single();
    }
}

public sealed class DriverAndRuntimeRolesTests
{
    [Fact]
    public void The_OLE_DB_driver_the_VC_runtime_and_the_certificate_trust_are_checked_on_Designer_machines_too()
    {
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Target = TargetVersion.V2025,
            Hosts =
            [
                new HostConfig { Name = "orch-ms01", Roles = [HostRole.ManagementServer] },
                new HostConfig { Name = "admin-pc07", Roles = [HostRole.Designer] },
            ],
        };

        var plan = CheckPlanner.Plan([new OleDbDriverCheck(), new VcRedistCheck(), new SqlCertificateTrustCheck()], environment, CheckSelection.All);

        Assert.Equal(["orch-ms01", "admin-pc07"], plan.Where(p => p.Check.Id == "requirements.oledb-driver").Select(p => p.HostLabel));
        Assert.Equal(["orch-ms01", "admin-pc07"], plan.Where(p => p.Check.Id == "requirements.vcredist").Select(p => p.HostLabel));
        Assert.Equal(["orch-ms01", "admin-pc07"], plan.Where(p => p.Check.Id == "requirements.sql-certificate-trust").Select(p => p.HostLabel));
    }
}
