using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Restart;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

/// <summary>The signals that are one value: Server Manager, UpdateExeVolatile (both views), RunOnce, ServerComponentCache.</summary>
public sealed class RestartValueCheckTests
{
    private const string ServerManager = @"SOFTWARE\Microsoft\ServerManager";
    private const string Updates = @"SOFTWARE\Microsoft\Updates";
    private const string Updates32 = @"SOFTWARE\WOW6432Node\Microsoft\Updates";
    private const string RunOnce = @"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce";
    private const string ComponentCache = @"SOFTWARE\Microsoft\ServerManager\ServicingStorage\ServerComponentCache";

    private static readonly Dictionary<string, RegistryValue> Firing = new()
    {
        ["restart.server-manager-reboot-attempts"] = Dword("CurrentRebootAttempts", 1),
        ["restart.update-exe-volatile"] = Dword("UpdateExeVolatile", 2),
        ["restart.dvd-reboot-signal"] = Sz("DVDRebootSignal", "1"),
        ["restart.server-component-cache"] = Dword("RestartRequired", 1),
    };

    private static readonly Dictionary<string, RegistryValue> Quiet = new()
    {
        ["restart.server-manager-reboot-attempts"] = Dword("CurrentRebootAttempts", 0),
        ["restart.update-exe-volatile"] = Dword("UpdateExeVolatile", 0),
        ["restart.server-component-cache"] = Sz("RestartRequired", "false"),
    };

    public static TheoryData<string, string, CheckStatus> Signals() => new()
    {
        { "restart.server-manager-reboot-attempts", ServerManager, CheckStatus.Unmet },
        { "restart.update-exe-volatile", Updates, CheckStatus.Warning },
        { "restart.update-exe-volatile", Updates32, CheckStatus.Warning },
        { "restart.dvd-reboot-signal", RunOnce, CheckStatus.Warning },
        { "restart.server-component-cache", ComponentCache, CheckStatus.Warning },
    };

    private static ICheck Check(string id) => CheckCatalog.CreateAll().Single(c => c.Id == id);

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Value_Set_IsPendingWithKeyAndValueAsEvidence(string id, string key, CheckStatus expected)
    {
        var host = Host();
        var value = Firing[id];
        host.FakeRegistry.Key(key, value);

        var outcome = await Run(Check(id), host);

        Assert.Equal(expected, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}\{value.Name}", value.Describe());
        Assert.Contains("Restart the host", outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Value_Absent_UnderAPresentKey_IsMet(string id, string key, CheckStatus expected)
    {
        _ = expected;
        var host = Host();
        host.FakeRegistry.Key(key, Sz("Unrelated", "x"));

        var outcome = await Run(Check(id), host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}\{Firing[id].Name}", "value absent");
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_Absent_IsMet(string id, string key, CheckStatus expected)
    {
        _ = expected;
        var outcome = await Run(Check(id), Host());

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}", "key absent");
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Key_NotExported_IsAnError(string id, string key, CheckStatus expected)
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

        await Assert.ThrowsAsync<HostFactsException>(() => Run(Check(id), host));
    }

    [Theory]
    [InlineData("restart.server-manager-reboot-attempts", ServerManager)]
    [InlineData("restart.update-exe-volatile", Updates)]
    [InlineData("restart.server-component-cache", ComponentCache)]
    public async Task Value_Quiet_IsMet(string id, string key)
    {
        var host = Host();
        host.FakeRegistry.Key(key, Quiet[id]);

        var outcome = await Run(Check(id), host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{key}\{Quiet[id].Name}", Quiet[id].Describe());
    }

    [Theory]
    [InlineData("restart.server-manager-reboot-attempts", ServerManager, "REG_SZ")]
    [InlineData("restart.update-exe-volatile", Updates32, "REG_SZ")]
    [InlineData("restart.server-component-cache", ComponentCache, "REG_BINARY")]
    public async Task Value_OfTheWrongType_IsAnErrorNamingTheType_NeverPending(string id, string key, string type)
    {
        var host = Host();
        var name = Firing[id].Name;
        host.FakeRegistry.Key(key, type == "REG_SZ" ? Sz(name, "1") : Binary(name, 1));

        var outcome = await Run(Check(id), host);

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains($"is {type}", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{key}\{name}", type);
    }

    [Fact]
    public async Task UpdateExeVolatile_Set32BitOnly_StillWarns_AndShowsBothViews()
    {
        var host = Host();
        host.FakeRegistry.Key(Updates).Key(Updates32, Dword("UpdateExeVolatile", 1));

        var outcome = await Run(new UpdateExeVolatileCheck(), host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{Updates}\UpdateExeVolatile", "value absent");
        AssertEvidence(outcome, $@"HKLM\{Updates32}\UpdateExeVolatile", "REG_DWORD 0x00000001");
    }

    [Fact]
    public async Task DvdRebootSignal_AnEmptyString_StillCounts_ItsExistenceIsTheSignal()
    {
        var host = Host();
        host.FakeRegistry.Key(RunOnce, Sz("DVDRebootSignal", string.Empty));

        Assert.Equal(CheckStatus.Warning, (await Run(new DvdRebootSignalCheck(), host)).Status);
    }

    [Theory]
    [InlineData("", CheckStatus.Met)]
    [InlineData("0", CheckStatus.Met)]
    [InlineData("1", CheckStatus.Warning)]
    [InlineData("True", CheckStatus.Warning)]
    public async Task ServerComponentCache_StringValues_ReadAsTruthy(string text, CheckStatus expected)
    {
        var host = Host();
        host.FakeRegistry.Key(ComponentCache, Sz("RestartRequired", text));

        Assert.Equal(expected, (await Run(new ServerComponentCacheCheck(), host)).Status);
    }
}
