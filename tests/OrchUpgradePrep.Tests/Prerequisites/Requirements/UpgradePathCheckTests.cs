using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Requirements;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Requirements.RequirementFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class UpgradePathCheckTests
{
    [Theory]
    [InlineData("10.19.126.0", TargetVersion.V2022, CheckStatus.Met, "2019 UR3 (10.19.126.0) → 2022 is a supported one-step upgrade")]
    [InlineData("10.19.40.0", TargetVersion.V2022, CheckStatus.Warning, "recommends 2019 UR3 (10.19.126.0) or later")]
    [InlineData("7.3.327.0", TargetVersion.V2022, CheckStatus.Unmet, "Supported path: 2016 → 2019 → 2022")]
    [InlineData("7.3.273.0", TargetVersion.V2019, CheckStatus.Unmet, "needs 2016 UR6 (7.3.285.0) or later first")]
    [InlineData("7.3.300.0", TargetVersion.V2019, CheckStatus.Met, "2016, build 7.3.300.0 (not in the build table)")]
    [InlineData("7.2.11719.0", TargetVersion.V2019, CheckStatus.Unmet, "2016 UR6")]
    [InlineData("7.2.84.0", TargetVersion.V2016, CheckStatus.Unmet, "needs 2012 R2 UR8 or later first")]
    [InlineData("7.2.239.0", TargetVersion.V2016, CheckStatus.Met, "2012 R2 UR14")]
    [InlineData("7.2.150.0", TargetVersion.V2016, CheckStatus.Warning, "whether build 7.2.150.0 includes it is not known")]
    [InlineData("7.4.188.0", TargetVersion.V2019, CheckStatus.Met, "1807")]
    [InlineData("10.22.8.29", TargetVersion.V2022, CheckStatus.Met, "already Orchestrator 2022")]
    [InlineData("10.22.2.0", TargetVersion.V2019, CheckStatus.Unmet, "downgrade")]
    [InlineData("7.1.3", TargetVersion.V2025, CheckStatus.Unmet, "2012 SP1 → 2012R2 → 2016 → 2019 → 2022 → 2025")]
    [InlineData("6.3.0.0", TargetVersion.V2022, CheckStatus.Unmet, "not a release with a documented upgrade path")]
    [InlineData("10.22.10.2", TargetVersion.V2025, CheckStatus.Met, "2022 UR3 (10.22.10.2) → 2025 is a supported one-step upgrade")]
    [InlineData("10.22.10.3", TargetVersion.V2025, CheckStatus.Met, "2022 UR3 GB18030 amendment hotfix (10.22.10.3)")]
    [InlineData("10.22.8.29", TargetVersion.V2025, CheckStatus.Warning, "recommends the latest 2022 update rollup (newest known: 2022 UR3) (10.22.10.2) or later")]
    [InlineData("10.22.9.2", TargetVersion.V2022, CheckStatus.Met, "2022 UR2 (10.22.9.2) is already Orchestrator 2022")]
    [InlineData("10.19.190.0", TargetVersion.V2022, CheckStatus.Met, "2019, update later than UR3 (build 10.19.190.0 not in orchprep's table)")]
    public async Task Decides_the_path_from_the_installed_build(string installed, TargetVersion target, CheckStatus expected, string detail)
    {
        var outcome = await Run(new UpgradePathCheck(), Host().WithOrchestrator(installed), target);
        Assert.Equal(expected, outcome.Status);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
        AssertEvidenceMentions(outcome, $"DisplayVersion \"{installed}\"");
    }

    [Fact]
    public async Task A_multi_step_path_says_each_step_and_update_in_order()
    {
        var outcome = await Run(new UpgradePathCheck(), Host().WithOrchestrator("7.3.185.0"), TargetVersion.V2022);
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(
            "1) install 2016 UR6 (7.3.285.0) or later; 2) upgrade 2016 → 2019 (gate it with `orchprep check --target 2019`); " +
            "3) install 2019 UR3 (10.19.126.0) or later (recommended); 4) upgrade 2019 → 2022 (gate it with `orchprep check --target 2022`)",
            outcome.Remediation,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_oldest_component_decides()
    {
        var host = Host().WithOrchestrator("10.19.126.0");
        host.FakeRegistry.Key(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{RB}", Fakes.FakeRegistry.Sz("DisplayName", "System Center Orchestrator Runbook Server"), Fakes.FakeRegistry.Sz("DisplayVersion", "10.19.40.0"));
        var outcome = await Run(new UpgradePathCheck(), host);
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("10.19.40.0", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integration_packs_do_not_decide_the_path()
    {
        var host = Host().WithOrchestrator("10.19.126.0");
        host.FakeRegistry.Key(@"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{IP}", Fakes.FakeRegistry.Sz("DisplayName", "Orchestrator Integration Pack for Active Directory"), Fakes.FakeRegistry.Sz("DisplayVersion", "7.2.1.0"));
        Assert.Equal(CheckStatus.Met, (await Run(new UpgradePathCheck(), host)).Status);
    }

    [Fact]
    public async Task No_installation_is_a_warning()
    {
        var outcome = await Run(new UpgradePathCheck(), Host());
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("No Orchestrator installation", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_keys_outside_the_snapshot_are_an_error()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();
        var outcome = await Run(new UpgradePathCheck(), host);
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains(@"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_without_a_readable_version_is_an_error_not_a_guess()
    {
        var outcome = await Run(new UpgradePathCheck(), Host().WithOrchestrator(null));
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("KB2748951", outcome.Detail, StringComparison.Ordinal);
    }
}

public sealed class UpgradePathsTests
{
    [Fact]
    public void Every_target_is_reachable_from_every_older_line_and_never_backwards()
    {
        foreach (var target in Enum.GetValues<TargetVersion>())
        {
            foreach (var line in Enum.GetValues<OrchestratorLine>())
            {
                var path = UpgradePaths.Find(line, target);
                if (line > UpgradePaths.LineOf(target))
                {
                    Assert.Null(path);
                }
                else
                {
                    Assert.NotNull(path);
                    Assert.Equal(target, path.Count == 0 ? target : path[^1].To);
                }
            }
        }
    }

    [Fact]
    public void Every_target_has_a_requirement_row_with_a_source()
    {
        foreach (var target in Enum.GetValues<TargetVersion>())
        {
            var row = RequirementTable.For(target);
            Assert.NotEmpty(row.SupportedServers);
            Assert.False(string.IsNullOrWhiteSpace(row.SourceNote));
            Assert.Contains(RequirementTable.Source, row.Cite, StringComparison.Ordinal);
            Assert.Equal(row.Confirmed, !row.Cite.Contains("unconfirmed", StringComparison.Ordinal));
        }
    }
}
