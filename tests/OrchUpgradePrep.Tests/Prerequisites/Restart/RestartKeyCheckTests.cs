using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Restart;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

/// <summary>The signals that are a key's existence: CBS, Windows Update, Netlogon.</summary>
public sealed class RestartKeyCheckTests
{
    private const string Cbs = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing";
    private const string AutoUpdate = @"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update";

    public static TheoryData<string, string, CheckStatus> Signals() => new()
    {
        { "restart.cbs-reboot-pending", Cbs + @"\RebootPending", CheckStatus.Unmet },
        { "restart.cbs-reboot-in-progress", Cbs + @"\RebootInProgress", CheckStatus.Unmet },
        { "restart.cbs-packages-pending", Cbs + @"\PackagesPending", CheckStatus.Unmet },
        { "restart.wu-reboot-required", AutoUpdate + @"\RebootRequired", CheckStatus.Unmet },
        { "restart.wu-post-reboot-reporting", AutoUpdate + @"\PostRebootReporting", CheckStatus.Warning },
        { "restart.domain-join", @"SYSTEM\CurrentControlSet\Services\Netlogon\JoinDomain", CheckStatus.Unmet },
        { "restart.domain-join", @"SYSTEM\CurrentControlSet\Services\Netlogon\AvoidSpnSet", CheckStatus.Unmet },
    };

    private static ICheck Check(string id) => CheckCatalog.CreateAll().Single(c => c.Id == id);

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_Present_IsPendingWithTheKeyAsEvidenceAndARestartRemediation(string id, string key, CheckStatus expected)
    {
        var host = Host();
        host.FakeRegistry.Key(key);

        var outcome = await Run(Check(id), host);

        Assert.Equal(expected, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}", "key present");
        Assert.Contains("Restart the host", outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_Absent_IsMetWithTheLocationAsEvidence(string id, string key, CheckStatus expected)
    {
        _ = expected;
        var host = Host();
        host.FakeRegistry.Key(Cbs).Key(AutoUpdate);

        var outcome = await Run(Check(id), host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}", "key absent");
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_NotExported_IsAnErrorThatSaysExportIt_NeverMet(string id, string key, CheckStatus expected)
    {
        _ = expected;
        var outcome = await Run(Check(id), NothingExported());

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("export it", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{key}", "not exported");
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_AccessDenied_Propagates(string id, string key, CheckStatus expected)
    {
        _ = expected;
        var host = Host();
        host.FakeRegistry.Unreadable.Add(key);

        var error = await Assert.ThrowsAsync<HostFactsException>(() => Run(Check(id), host));

        Assert.Contains("access denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServicesPending_WithSubkeys_IsAWarningNamingThem()
    {
        var host = Host();
        host.FakeRegistry
            .Key(@"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Services\Pending")
            .Key(@"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Services\Pending\7971f918-a847-4430-9279-4a52d1efe18d");

        var outcome = await Run(new WindowsUpdateServicesPendingCheck(), host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        AssertEvidence(outcome, @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Services\Pending", "subkeys: 7971f918");
    }

    [Fact]
    public async Task ServicesPending_PresentButEmpty_IsMet()
    {
        var host = Host();
        host.FakeRegistry.Key(@"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Services\Pending");

        var outcome = await Run(new WindowsUpdateServicesPendingCheck(), host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Services\Pending", "no subkeys");
    }

    [Fact]
    public async Task ServicesPending_NotExported_IsAnError()
    {
        Assert.Equal(CheckStatus.Error, (await Run(new WindowsUpdateServicesPendingCheck(), NothingExported())).Status);
    }

    [Fact]
    public async Task DomainJoin_OneKeyPresent_WinsOverTheOtherNotExported()
    {
        var host = NothingExported();
        host.FakeRegistry.Key(@"SYSTEM\CurrentControlSet\Services\Netlogon\JoinDomain");

        var outcome = await Run(new DomainJoinCheck(), host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        AssertEvidence(outcome, @"HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\AvoidSpnSet", "not exported");
    }

    [Fact]
    public async Task RebootRequired_AsAValueOfAutoUpdate_IsNotTheSignal()
    {
        // dbatools read it as a value (docs/facts/restart-signals.md#known-bugs); only the key counts.
        var host = Host();
        host.FakeRegistry.Key(AutoUpdate, Fakes.FakeRegistry.Dword("RebootRequired", 1));

        Assert.Equal(CheckStatus.Met, (await Run(new WindowsUpdateRebootRequiredCheck(), host)).Status);
    }
}
