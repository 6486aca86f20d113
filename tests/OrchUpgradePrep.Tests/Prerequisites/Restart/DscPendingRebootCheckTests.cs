using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Restart;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

public sealed class DscPendingRebootCheckTests
{
    [Fact]
    public async Task PendingReboot_is_unmet_with_the_state_as_evidence()
    {
        var host = Host();
        host.Dsc = new DscLcmState("PendingReboot", "fake dsc");

        var outcome = await Run(new DscPendingRebootCheck(), host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        AssertEvidence(outcome, "fake dsc", "LCMState PendingReboot");
        Assert.Contains("Get-DscConfigurationStatus", outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Idle")]
    [InlineData("Busy")]
    [InlineData("PendingConfiguration")]
    public async Task Other_states_are_met_naming_the_state(string state)
    {
        var host = Host();
        host.Dsc = new DscLcmState(state, "fake dsc");
        var outcome = await Run(new DscPendingRebootCheck(), host);
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(state, outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_dsc_is_not_applicable()
    {
        var outcome = await Run(new DscPendingRebootCheck(), Host());
        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("not applicable", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_lcm_is_an_error_never_not_pending()
    {
        var host = Host();
        host.DscUnreadable = true;
        var outcome = await Run(new DscPendingRebootCheck(), host);
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("access denied", outcome.Detail, StringComparison.Ordinal);
    }
}
