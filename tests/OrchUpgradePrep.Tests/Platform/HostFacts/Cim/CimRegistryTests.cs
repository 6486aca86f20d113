using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Platform.HostFacts.Cim;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Cim;

public sealed class CimRegistryTests
{
    private const string CbsKey = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing";
    private const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";

    private readonly FakeCimQueries _host = new();

    private IRegistry Registry() =>
        new CimHostFacts(FakeCimQueries.Host, _host, new CimHostFactsOptions(), new FakeTimeProvider()).Registry;

    [Fact]
    public async Task Key_listed_by_StdRegProv_is_present_with_its_subkeys()
    {
        _host.AddKey(CbsKey + @"\RebootPending");
        _host.AddKey(CbsKey + @"\PackagesPending");

        var key = await Registry().ReadKeyAsync(CbsKey, TestContext.Current.CancellationToken);

        Assert.Equal(RegistryKeyPresence.Present, key.Presence);
        Assert.Equal(["PackagesPending", "RebootPending"], key.SubKeyNames.Order(StringComparer.Ordinal));
        Assert.Empty(key.Values);
        Assert.Contains("cim://orch-ms01", key.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_StdRegProv_does_not_find_is_absent_never_unknown()
    {
        _host.AddKey(CbsKey);

        var key = await Registry().ReadKeyAsync(CbsKey + @"\RebootPending", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
        Assert.Empty(key.Values);
        Assert.Empty(key.SubKeyNames);
    }

    [Fact]
    public async Task Reads_go_to_HKLM_in_root_default_with_the_hive_prefix_stripped()
    {
        _host.AddKey(CbsKey);

        await Registry().ReadKeyAsync(@"HKLM\" + CbsKey, TestContext.Current.CancellationToken);

        Assert.Contains($@"root\default: StdRegProv.EnumKey hDefKey=0x80000002 {CbsKey}", _host.Calls);
    }

    [Fact]
    public async Task Every_value_type_reads_as_the_live_registry_gives_it()
    {
        _host.AddKey(SessionManager,
            FakeRegValue.Sz("ProductName", "Windows Server 2022 Datacenter"),
            FakeRegValue.ExpandSz("Path", @"C:\Windows\system32"),
            FakeRegValue.Binary("Blob", 1, 2, 255),
            FakeRegValue.DWord("CurrentRebootAttempts", 0xFFFFFFFE),
            FakeRegValue.MultiSz("PendingFileRenameOperations", @"\??\C:\Temp\a.tmp", string.Empty),
            FakeRegValue.QWord("InstallTime", 0x01D9_0000_0000_0001));

        var key = await Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken);

        Assert.Equal(new RegistryValue("ProductName", RegistryValueType.String, "Windows Server 2022 Datacenter").Describe(), key.Value("productname")!.Describe());
        Assert.Equal(RegistryValueType.ExpandString, key.Value("Path")!.Type);
        Assert.Equal(@"C:\Windows\system32", key.Value("Path")!.Data);
        Assert.Equal(RegistryValueType.Binary, key.Value("Blob")!.Type);
        Assert.Equal(new byte[] { 1, 2, 255 }, key.Value("Blob")!.Data);
        Assert.Equal("REG_DWORD 0xfffffffe (4294967294)", key.Value("CurrentRebootAttempts")!.Describe());
        Assert.Equal(RegistryValueType.MultiString, key.Value("PendingFileRenameOperations")!.Type);
        Assert.Equal(new[] { @"\??\C:\Temp\a.tmp", string.Empty }, key.Value("PendingFileRenameOperations")!.Data);
        Assert.Equal(RegistryValueType.QWord, key.Value("InstallTime")!.Type);
        Assert.Equal(0x01D9_0000_0000_0001UL, key.Value("InstallTime")!.Data);
    }

    [Fact]
    public async Task Empty_multi_string_and_empty_string_are_present_and_empty()
    {
        _host.AddKey(SessionManager, FakeRegValue.MultiSz("PendingFileRenameOperations", null), FakeRegValue.Sz("Note", null!));

        var key = await Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken);

        Assert.Equal(Array.Empty<string>(), key.Value("PendingFileRenameOperations")!.Data);
        Assert.Equal(string.Empty, key.Value("Note")!.Data);
    }

    [Fact]
    public async Task Value_deleted_after_it_was_listed_is_left_out()
    {
        _host.AddKey(SessionManager, FakeRegValue.DWord("Gone", 1), FakeRegValue.DWord("Kept", 2));
        _host.ReturnOverrides[("GetDWORDValue", SessionManager + @"\Gone")] = 2;

        var key = await Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken);

        Assert.Null(key.Value("Gone"));
        Assert.Equal(2u, key.Value("Kept")!.Data);
    }

    [Fact]
    public async Task Access_denied_by_StdRegProv_is_an_error_that_says_who_needs_rights()
    {
        _host.AddKey(CbsKey);
        _host.ReturnOverrides[("EnumKey", CbsKey)] = 5;

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Registry().ReadKeyAsync(CbsKey, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("orch-ms01", ex.Message, StringComparison.Ordinal);
        Assert.Contains("access denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local administrator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_by_WinRM_is_an_error_not_an_absent_key()
    {
        _host.Failure = new CimCallException("Access is denied.", "AccessDenied", 5, "Win32");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Registry().ReadKeyAsync(CbsKey, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("orch-ms01: access denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains(@"HKLM\" + CbsKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_refused_as_the_wrong_type_is_an_error()
    {
        _host.AddKey(SessionManager, FakeRegValue.DWord("CurrentRebootAttempts", 1));
        _host.ReturnOverrides[("GetDWORDValue", SessionManager + @"\CurrentRebootAttempts")] = 0x80041005;

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("wrong value type", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CurrentRebootAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_data_of_another_CIM_type_is_a_wrong_type_error()
    {
        _host.AddKey(SessionManager, FakeRegValue.DWord("CurrentRebootAttempts", 1));
        _host.OutOverrides[SessionManager + @"\CurrentRebootAttempts"] = "1";

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("wrong value type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_StdRegProv_failure_is_an_error_with_its_code()
    {
        _host.AddKey(CbsKey);
        _host.ReturnOverrides[("EnumValues", CbsKey)] = 1450;

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Registry().ReadKeyAsync(CbsKey, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("returned 1450", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_of_a_type_StdRegProv_cannot_read_is_present_without_data()
    {
        _host.AddKey(SessionManager, new FakeRegValue("Resources", 8, null));

        var key = await Registry().ReadKeyAsync(SessionManager, TestContext.Current.CancellationToken);

        Assert.Equal(RegistryValueType.Other, key.Value("Resources")!.Type);
        Assert.Equal(Array.Empty<byte>(), key.Value("Resources")!.Data);
    }
}
