using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Restart;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Restart.RestartFixtures;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

/// <summary>PendingFileRenameOperations and …2: noisy, so known-benign entries warn and the rest are unmet.</summary>
public sealed class PendingFileRenameCheckTests
{
    private const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";

    public static TheoryData<string> ValueNames() => ["PendingFileRenameOperations", "PendingFileRenameOperations2"];

    private static PendingFileRenameCheck Check(string valueName) =>
        valueName == "PendingFileRenameOperations" ? new PendingFileRenameOperationsCheck() : new PendingFileRenameOperations2Check();

    private static FakeHostFacts With(RegistryValue value)
    {
        var host = Host();
        host.FakeRegistry.Key(SessionManager, MultiSz("BootExecute", "autocheck autochk *"), value);
        return host;
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task RealEntry_IsUnmet_AndEveryEntryIsEvidence(string valueName)
    {
        var host = With(MultiSz(valueName,
            @"\??\C:\Windows\Temp\old.tmp", string.Empty,
            @"\??\C:\Program Files\Contoso\agent.dll.new", @"!\??\C:\Program Files\Contoso\agent.dll"));

        var outcome = await Run(Check(valueName), host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("1 of 2 entries not known-benign", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName}", "REG_MULTI_SZ [");
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName} entry 1", @"delete \??\C:\Windows\Temp\old.tmp (known-benign: temp-folder delete)");
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName} entry 2", @"replace \??\C:\Program Files\Contoso\agent.dll with \??\C:\Program Files\Contoso\agent.dll.new (not known-benign)");
        Assert.Contains("policies", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains(Check(valueName).Id, outcome.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"\??\C:\Windows\Temp\MpSigStub\mpam-fe.exe", "", "temp-folder delete")]
    [InlineData(@"\??\C:\Users\svc\AppData\Local\Temp\setup.log", "", "temp-folder delete")]
    [InlineData(@"\??\C:\ProgramData\Microsoft\Windows Defender\Definition Updates\{A1}\mpengine.dll", "", "Microsoft Defender update")]
    [InlineData(@"\??\C:\Program Files (x86)\Microsoft\EdgeUpdate\Temp\x.exe", @"\??\C:\Program Files (x86)\Microsoft\EdgeUpdate\x.exe", "browser updater")]
    [InlineData(@"\??\C:\Program Files (x86)\Google\Update\1.3.36\goopdate.dll", "", "browser updater")]
    [InlineData(@"\??\C:\Windows\AppCompat\Programs\Amcache.hve.tmp", "", "Amcache.hve.tmp")]
    [InlineData(@"\??\C:\Program Files\McAfee\Agent\old.sys", "", "antivirus cleanup")]
    public async Task KnownBenignEntries_OnlyWarn(string source, string destination, string reason)
    {
        var host = With(MultiSz("PendingFileRenameOperations", source, destination));

        var outcome = await Run(new PendingFileRenameOperationsCheck(), host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\PendingFileRenameOperations entry 1", $"known-benign: {reason}");
    }

    [Fact]
    public async Task ARenameInsideATempFolder_IsNotABenignDelete()
    {
        var host = With(MultiSz("PendingFileRenameOperations", @"\??\C:\Windows\Temp\x.dll", @"\??\C:\Windows\System32\x.dll"));

        Assert.Equal(CheckStatus.Unmet, (await Run(new PendingFileRenameOperationsCheck(), host)).Status);
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task Value_Absent_IsMet(string valueName)
    {
        var outcome = await Run(Check(valueName), With(Sz("Unrelated", "x")));

        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName}", "value absent");
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task Value_EmptyOrOnlyBlankEntries_IsMet(string valueName)
    {
        Assert.Equal(CheckStatus.Met, (await Run(Check(valueName), With(MultiSz(valueName)))).Status);
        var outcome = await Run(Check(valueName), With(MultiSz(valueName, string.Empty, string.Empty, "  ")));
        Assert.Equal(CheckStatus.Met, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName}", "REG_MULTI_SZ");
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task Value_AsRegSz_IsAnErrorNamingTheType_NeverPending(string valueName)
    {
        // bcwilhite/PendingReboot#14 read this as "pending" forever.
        var outcome = await Run(Check(valueName), With(Sz(valueName, @"\??\C:\Windows\Temp\x.tmp")));

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("is REG_SZ, expected REG_MULTI_SZ", outcome.Detail, StringComparison.Ordinal);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}\{valueName}", "REG_SZ");
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task SessionManager_NotExported_IsAnError(string valueName)
    {
        var outcome = await Run(Check(valueName), NothingExported());

        Assert.Equal(CheckStatus.Error, outcome.Status);
        AssertEvidence(outcome, $@"HKLM\{SessionManager}", "not exported");
    }

    [Theory]
    [MemberData(nameof(ValueNames))]
    public async Task SessionManager_AccessDenied_Propagates(string valueName)
    {
        var host = Host();
        host.FakeRegistry.Unreadable.Add(SessionManager);

        await Assert.ThrowsAsync<HostFactsException>(() => Run(Check(valueName), host));
    }

    [Fact]
    public void Parse_PairsSourceAndDestination_IgnoresBlankSources_ALoneLastSourceIsADelete()
    {
        var entries = PendingFileRename.Parse([@"\??\C:\a", @"\??\C:\b", string.Empty, string.Empty, @"\??\C:\c"]);

        Assert.Equal(2, entries.Count);
        Assert.Equal((@"\??\C:\a", @"\??\C:\b"), (entries[0].Source, entries[0].Destination));
        Assert.True(entries[1].IsDelete);
        Assert.Equal(2, entries[1].Number);
    }
}
