using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Restart;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

public sealed class ComputerRenameCheckTests
{
    private const string Active = @"SYSTEM\CurrentControlSet\Control\ComputerName\ActiveComputerName";
    private const string Next = @"SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName";

    [Theory]
    [InlineData("ORCH-MS01", "ORCH-MS02", CheckStatus.Unmet)]
    [InlineData("ORCH-MS01", "ORCH-MS01", CheckStatus.Met)]
    [InlineData("ORCH-MS01", "orch-ms01", CheckStatus.Met)]
    public async Task ComparesTheRunningWithTheNextBootName(string active, string next, CheckStatus expected)
    {
        var host = Host();
        host.FakeRegistry.Key(Active, Sz("ComputerName", active)).Key(Next, Sz("ComputerName", next));

        var outcome = await Run(new ComputerRenameCheck(), host);

        Assert.Equal(expected, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{Active}\ComputerName", $"REG_SZ \"{active}\"");
        AssertEvidence(outcome, $@"HKLM\{Next}\ComputerName", $"REG_SZ \"{next}\"");
    }

    [Fact]
    public async Task OneNameAbsent_IsMet_WithTheAbsenceAsEvidence()
    {
        var host = Host();
        host.FakeRegistry.Key(Active).Key(Next, Sz("ComputerName", "ORCH-MS01"));

        var outcome = await Run(new ComputerRenameCheck(), host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{Active}\ComputerName", "value absent");
    }

    [Fact]
    public async Task BothKeysAbsent_IsMet()
    {
        var outcome = await Run(new ComputerRenameCheck(), Host());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{Active}", "key absent");
    }

    [Fact]
    public async Task WrongType_IsAnErrorNamingIt()
    {
        var host = Host();
        host.FakeRegistry.Key(Active, Dword("ComputerName", 1)).Key(Next, Sz("ComputerName", "ORCH-MS01"));

        var outcome = await Run(new ComputerRenameCheck(), host);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("is REG_DWORD, expected REG_SZ", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotExported_IsAnError()
    {
        Assert.Equal(CheckStatus.Error, (await Run(new ComputerRenameCheck(), NothingExported())).Status);
    }

    [Fact]
    public async Task AccessDenied_Propagates()
    {
        var host = Host();
        host.FakeRegistry.Unreadable.Add(Next);

        await Assert.ThrowsAsync<HostFactsException>(() => Run(new ComputerRenameCheck(), host));
    }
}

public sealed class ConfigMgrClientCheckTests
{
    private const string Ccm = @"SOFTWARE\Microsoft\CCM";

    [Fact]
    public async Task NoClient_IsSkippedAsNotApplicable_NeverFailed()
    {
        var outcome = await Run(new ConfigMgrClientCheck(), Host());

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Equal("no Configuration Manager client: not applicable", outcome.Detail);
        AssertEvidence(outcome, $@"HKLM\{Ccm}", "key absent");
    }

    private static FakeHostFacts WithClient(ConfigMgrRebootState? state)
    {
        var host = Host();
        host.FakeRegistry.Key(Ccm, Sz("SMSSLP", "cm01"));
        host.ConfigMgr = state;
        return host;
    }

    [Theory]
    [InlineData(true, false, "restart pending")]
    [InlineData(false, true, "hard restart pending")]
    public async Task ClientSaysRebootPending_IsUnmet_WithTheAnswerAsEvidence(bool pending, bool hard, string detail)
    {
        var outcome = await Run(new ConfigMgrClientCheck(), WithClient(new ConfigMgrRebootState(0, pending, hard, "cim://orch-ms01 root\\ccm\\ClientSDK")));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, "cim://orch-ms01 root\\ccm\\ClientSDK", $"ReturnValue 0, RebootPending {pending}, IsHardRebootPending {hard}");
    }

    [Fact]
    public async Task ClientSaysNoReboot_IsMet()
    {
        var outcome = await Run(new ConfigMgrClientCheck(), WithClient(new ConfigMgrRebootState(0, false, false, "live")));

        Assert.Equal(CheckStatus.Met, outcome.Status);
    }

    [Fact]
    public async Task AFailedCall_IsAnError_NeverMet()
    {
        var outcome = await Run(new ConfigMgrClientCheck(), WithClient(new ConfigMgrRebootState(2, false, false, "live")));

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("ReturnValue 2", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyPresentButNamespaceMissing_IsSkippedAsNotApplicable()
    {
        var outcome = await Run(new ConfigMgrClientCheck(), WithClient(null));

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("not applicable", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableClient_Propagates()
    {
        var host = WithClient(null);
        host.ConfigMgrUnreadable = true;

        await Assert.ThrowsAsync<HostFactsException>(() => Run(new ConfigMgrClientCheck(), host));
    }

    [Fact]
    public async Task NotExported_IsAnError()
    {
        Assert.Equal(CheckStatus.Error, (await Run(new ConfigMgrClientCheck(), NothingExported())).Status);
    }

    [Fact]
    public async Task AccessDenied_Propagates()
    {
        var host = Host();
        host.FakeRegistry.Unreadable.Add(Ccm);

        await Assert.ThrowsAsync<HostFactsException>(() => Run(new ConfigMgrClientCheck(), host));
    }
}
