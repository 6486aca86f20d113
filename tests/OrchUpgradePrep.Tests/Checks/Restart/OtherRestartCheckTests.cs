using OrchUpgradePrep.Checks.Restart;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using Xunit;
using static OrchUpgradePrep.Tests.Checks.Restart.RestartFixtures;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;

namespace OrchUpgradePrep.Tests.Checks.Restart;

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

    [Fact]
    public async Task ClientPresent_IsAWarningThatItWasNotEvaluated()
    {
        var host = Host();
        host.FakeRegistry.Key(Ccm, Sz("SMSSLP", "cm01"));

        var outcome = await Run(new ConfigMgrClientCheck(), host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("DetermineIfRebootPending needs CIM", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("not evaluated", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{Ccm}", "key present");
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
