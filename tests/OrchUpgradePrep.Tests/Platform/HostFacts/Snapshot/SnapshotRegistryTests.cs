using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Snapshot;

public sealed class SnapshotRegistryTests
{
    private static readonly SnapshotRegistry Registry = new(
    [
        RegExportParser.Parse(
            "Windows Registry Editor Version 5.00\r\n\r\n" +
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing]\r\n\"Last\"=dword:00000001\r\n\r\n" +
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending]\r\n\r\n" +
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages]\r\n\r\n",
            "ms01/registry.reg"),
        RegExportParser.Parse(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\InetStp]\r\n\"MajorVersion\"=dword:0000000a\r\n",
            "ms01/02-inetstp.reg"),
        RegExportParser.Parse(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\InetStp]\r\n\"MinorVersion\"=dword:00000000\r\n\"MajorVersion\"=dword:0000000b\r\n",
            "ms01/03-inetstp-again.reg"),
    ]);

    private static async Task<RegistryKeyRead> Read(string path) => await Registry.ReadKeyAsync(path, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_listed_key_is_present_with_values_and_subkeys()
    {
        var key = await Read(@"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing");
        Assert.Equal(RegistryKeyPresence.Present, key.Presence);
        Assert.Equal(1u, key.Value("last")!.Data);
        Assert.Equal(new[] { "Packages", "RebootPending" }, key.SubKeyNames);
        Assert.Equal("snapshot ms01/registry.reg", key.Source);
    }

    [Fact]
    public async Task Lookups_ignore_case_and_accept_an_hklm_prefix()
    {
        Assert.Equal(RegistryKeyPresence.Present, (await Read(@"HKLM\software\microsoft\windows\currentversion\component based servicing\REBOOTPENDING")).Presence);
        Assert.Equal(RegistryKeyPresence.Present, (await Read(@"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp\")).Presence);
    }

    [Fact]
    public async Task A_key_under_an_exported_root_that_the_file_does_not_list_is_absent()
    {
        var key = await Read(@"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootInProgress");
        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
        Assert.Contains("ms01/registry.reg", key.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_outside_every_export_is_unknown_not_absent()
    {
        var key = await Read(@"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired");
        Assert.Equal(RegistryKeyPresence.Unknown, key.Presence);
        Assert.Contains(@"HKLM\SOFTWARE\Microsoft\InetStp", key.Source, StringComparison.Ordinal);

        // The parent of an exported root is not exported either: its values are unknown.
        Assert.Equal(RegistryKeyPresence.Unknown, (await Read(@"SOFTWARE\Microsoft\Windows\CurrentVersion")).Presence);
    }

    [Fact]
    public async Task The_same_key_in_two_exports_merges_and_the_later_file_wins()
    {
        var key = await Read(@"SOFTWARE\Microsoft\InetStp");
        Assert.Equal(11u, key.Value("MajorVersion")!.Data);
        Assert.Equal(0u, key.Value("MinorVersion")!.Data);
        Assert.Equal(2, Registry.ExportedRoots.Count(r => r == @"SOFTWARE\Microsoft\InetStp"));
    }

    [Fact]
    public async Task A_whole_hklm_export_covers_everything()
    {
        var registry = new SnapshotRegistry([RegExportParser.Parse("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE]\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE]\r\n", "all.reg")]);
        var key = await registry.ReadKeyAsync(@"SYSTEM\Nothing", TestContext.Current.CancellationToken);
        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
    }

    [Fact]
    public async Task Keys_of_other_hives_are_ignored()
    {
        var registry = new SnapshotRegistry([RegExportParser.Parse("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\X]\r\n\"A\"=\"b\"\r\n", "hkcu.reg")]);
        Assert.Empty(registry.ExportedRoots);
        var key = await registry.ReadKeyAsync(@"Software\X", TestContext.Current.CancellationToken);
        Assert.Equal(RegistryKeyPresence.Unknown, key.Presence);
    }

    [Fact]
    public async Task Keys_recorded_absent_in_host_json_read_as_absent_with_everything_below_them()
    {
        var registry = new SnapshotRegistry([], [@"HKLM\SOFTWARE\Microsoft\InetStp"], "web01/host.json");
        var ct = TestContext.Current.CancellationToken;
        var key = await registry.ReadKeyAsync(@"SOFTWARE\Microsoft\InetStp", ct);
        Assert.Equal(RegistryKeyPresence.Absent, key.Presence);
        Assert.Contains("web01/host.json", key.Source, StringComparison.Ordinal);
        Assert.Equal(RegistryKeyPresence.Absent, (await registry.ReadKeyAsync(@"SOFTWARE\Microsoft\InetStp\Components", ct)).Presence);
        Assert.Equal(RegistryKeyPresence.Unknown, (await registry.ReadKeyAsync(@"SOFTWARE\Microsoft\InetStpX", ct)).Presence);
    }
}
