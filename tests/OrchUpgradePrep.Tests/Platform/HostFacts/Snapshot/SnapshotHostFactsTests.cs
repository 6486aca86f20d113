using System.IO.Abstractions.TestingHelpers;
using System.Text;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Snapshot;

public sealed class SnapshotHostFactsTests
{
    private const string Folder = "/snap/orch-ms01";

    private const string WindowsNt =
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n" +
        "\"ProductName\"=\"Windows Server 2022 Standard\"\r\n\"CurrentBuild\"=\"20348\"\r\n\"InstallationType\"=\"Server Core\"\r\n" +
        "\"CurrentMajorVersionNumber\"=dword:0000000a\r\n\"CurrentMinorVersionNumber\"=dword:00000000\r\n";

    private const string FullHostJson = """
        {
          "schemaVersion": 1,
          "hostName": "ORCH-MS01.contoso.local",
          "operatingSystem": { "caption": "Microsoft Windows Server 2019 Datacenter", "version": "10.0.17763", "build": 17763, "installationType": "Server" },
          "hardware": { "totalPhysicalMemoryBytes": 8589934592, "cpuCores": 2, "logicalProcessors": 4, "maxClockSpeedMHz": 2400 },
          "volumes": [ { "name": "C:", "sizeBytes": 100, "freeBytes": 40 } ],
          "dotnetRuntimes": [ { "name": "Microsoft.AspNetCore.App", "version": "8.0.11" } ],
          "processes": [ { "processId": 4242, "name": "RunbookDesigner.exe", "executablePath": null, "userName": "CONTOSO\\ann", "sessionId": 2 } ],
          "sessions": [ { "sessionId": 2, "userName": "CONTOSO\\ann", "state": "Disconnected", "clientName": null } ],
          "services": [ { "name": "omanagement", "displayName": "Orchestrator Management Service", "state": "Running", "startMode": "Auto", "pathName": null, "processId": 2204, "sharesProcess": false } ]
        }
        """;

    private static MockFileSystem FileSystem(string? registry = WindowsNt, string? hostJson = FullHostJson)
    {
        var files = new Dictionary<string, MockFileData>();
        if (registry is not null)
        {
            files[$"{Folder}/registry.reg"] = new MockFileData(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(registry)).ToArray());
        }

        if (hostJson is not null)
        {
            files[$"{Folder}/host.json"] = new MockFileData(hostJson);
        }

        var fs = new MockFileSystem(files);
        fs.Directory.CreateDirectory(Folder);
        return fs;
    }

    [Fact]
    public async Task Reads_every_fact_from_host_json()
    {
        var facts = SnapshotHostFacts.Open(FileSystem(), Folder, "orch-ms01");
        var ct = TestContext.Current.CancellationToken;

        var os = await facts.GetOperatingSystemAsync(ct);
        Assert.Equal((17763, "Server", "orch-ms01/host.json"), (os.Build, os.InstallationType, os.Source));
        var hardware = await facts.GetHardwareAsync(ct);
        Assert.Equal((8L << 30, 2, 4, 2400), (hardware.TotalPhysicalMemoryBytes, hardware.CpuCores, hardware.LogicalProcessors, hardware.MaxClockSpeedMHz));
        Assert.Equal(new VolumeFacts("C:", 100, 40), (await facts.GetVolumesAsync(ct)).Single());
        Assert.Equal("8.0.11", (await facts.GetDotNetRuntimesAsync(ct)).Single().Version);
        Assert.Equal("RunbookDesigner.exe", (await facts.GetProcessesAsync(ct)).Single().Name);
        Assert.Equal("Disconnected", (await facts.GetSessionsAsync(ct)).Single().State);
        var service = (await facts.GetServicesAsync(ct)).Single();
        Assert.Equal(("omanagement", 2204, (bool?)false), (service.Name, service.ProcessId, service.SharesProcess));
        Assert.Equal(RegistryKeyPresence.Present, (await facts.Registry.ReadKeyAsync(@"SOFTWARE\Microsoft\Windows NT\CurrentVersion", ct)).Presence);
    }

    [Fact]
    public async Task Without_an_os_section_the_registry_says_which_windows_it_is()
    {
        var facts = SnapshotHostFacts.Open(FileSystem(hostJson: """{ "schemaVersion": 1 }"""), Folder, "orch-ms01");
        var os = await facts.GetOperatingSystemAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("Microsoft Windows Server 2022 Standard", "10.0.20348", 20348, "Server Core"), (os.Caption, os.Version, os.Build, os.InstallationType));
        Assert.Contains("registry.reg", os.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_section_is_an_error_that_names_it_never_a_default()
    {
        var facts = SnapshotHostFacts.Open(FileSystem(hostJson: """{ "schemaVersion": 1 }"""), Folder, "orch-ms01");
        var ex = await Assert.ThrowsAsync<HostFactsException>(() => facts.GetHardwareAsync(TestContext.Current.CancellationToken));
        Assert.Contains("'hardware'", ex.Message, StringComparison.Ordinal);

        var noJson = SnapshotHostFacts.Open(FileSystem(hostJson: null), Folder, "orch-ms01");
        ex = await Assert.ThrowsAsync<HostFactsException>(() => noJson.GetVolumesAsync(TestContext.Current.CancellationToken));
        Assert.Contains("no host.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_accounts_dsc_files_and_service_logons_read_from_host_json_and_their_absence_is_unknown()
    {
        var facts = SnapshotHostFacts.Open(FileSystem(hostJson: """
            {
              "schemaVersion": 1,
              "services": [ { "name": "orunbook", "displayName": "Orchestrator Runbook Service", "state": "Running", "startMode": "Auto", "pathName": null, "startName": "CONTOSO\\svc-orch" } ],
              "localGroups": { "Administrators": [ { "name": "CONTOSO\\Orchestrator Admins", "kind": "Group" }, { "name": "ORCH-MS01\\Administrator" } ] },
              "accounts": [ { "name": "CONTOSO\\svc-orch", "lockedOut": true, "disabled": false } ],
              "dscLocalConfigurationManager": { "present": true, "lcmState": "PendingReboot" },
              "files": { "C:\\Temp\\a.tmp": false }
            }
            """), Folder, "orch-ms01");
        var old = SnapshotHostFacts.Open(FileSystem(), Folder, "orch-ms01");
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(@"CONTOSO\svc-orch", (await facts.GetServicesAsync(ct)).Single().StartName);
        Assert.Equal([new GroupMember(@"CONTOSO\Orchestrator Admins", "Group"), new GroupMember(@"ORCH-MS01\Administrator", "User")], await facts.GetLocalGroupMembersAsync("administrators", ct));
        var state = await facts.GetAccountStateAsync(@"contoso\SVC-ORCH", ct);
        Assert.Equal((true, false, (bool?)null), (state!.LockedOut, state.Disabled, state.PasswordExpired));
        Assert.Null(await facts.GetAccountStateAsync(@"CONTOSO\other", ct));
        Assert.Equal("PendingReboot", (await facts.GetDscLcmStateAsync(ct))!.LcmState);
        Assert.False((await facts.GetFilesExistAsync([@"C:\Temp\a.tmp"], ct))[@"C:\Temp\a.tmp"]);

        // A section the snapshot does not have (an older export) is unknown, never "no members" or "no DSC".
        Assert.Null((await old.GetServicesAsync(ct)).Single().StartName);
        Assert.Contains("'localGroups'", (await Assert.ThrowsAsync<HostFactsException>(() => old.GetLocalGroupMembersAsync("Administrators", ct))).Message, StringComparison.Ordinal);
        Assert.Contains("no 'OrchestratorSystemGroup'", (await Assert.ThrowsAsync<HostFactsException>(() => facts.GetLocalGroupMembersAsync("OrchestratorSystemGroup", ct))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HostFactsException>(() => old.GetDscLcmStateAsync(ct));
        Assert.Contains("does not list", (await Assert.ThrowsAsync<HostFactsException>(() => facts.GetFilesExistAsync([@"C:\other.dll"], ct))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configmgr_answer_reads_as_recorded_and_no_client_reads_as_null()
    {
        var pending = SnapshotHostFacts.Open(FileSystem(hostJson: """
            { "schemaVersion": 1, "configMgrReboot": { "clientPresent": true, "returnValue": 0, "rebootPending": true, "isHardRebootPending": false } }
            """), Folder, "orch-ms01");
        var none = SnapshotHostFacts.Open(FileSystem(hostJson: """{ "schemaVersion": 1, "configMgrReboot": { "clientPresent": false } }"""), Folder, "orch-ms01");
        var unknown = SnapshotHostFacts.Open(FileSystem(hostJson: """{ "schemaVersion": 1 }"""), Folder, "orch-ms01");

        var state = await pending.GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0u, true, false), (state!.ReturnValue, state.RebootPending, state.IsHardRebootPending));
        Assert.Null(await none.GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken));
        var ex = await Assert.ThrowsAsync<HostFactsException>(() => unknown.GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken));
        Assert.Contains("'configMgrReboot'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "schemaVersion": 1, "configMgrReboot": { "clientPresent": true } }""", "orch-ms01/host.json", "returnValue, rebootPending and isHardRebootPending are required")]
    [InlineData("""{ "schemaVersion": 1, "hardwre": {} }""", "orch-ms01/host.json(1,", "hardwre")]
    [InlineData("{ \"schemaVersion\": 1,\n  \"hardware\": { \"totalPhysicalMemoryBytes\": \"lots\" } }", "orch-ms01/host.json(2,", "hardware")]
    [InlineData("""{ "hostName": "x" }""", "orch-ms01/host.json", "schemaVersion")]
    [InlineData("""{ "schemaVersion": 2 }""", "orch-ms01/host.json", "schemaVersion 2 is not supported")]
    [InlineData("""{ "schemaVersion": 1, "hardware": { "totalPhysicalMemoryBytes": 0, "cpuCores": 1, "logicalProcessors": 1, "maxClockSpeedMHz": 1 } }""", "orch-ms01/host.json", "totalPhysicalMemoryBytes must be > 0")]
    [InlineData("""{ "schemaVersion": 1, "hostName": "orch-rb02" }""", "orch-ms01/host.json", "captured on 'orch-rb02'")]
    [InlineData("""{ "schemaVersion": 1, """, "orch-ms01/host.json(1,", "")]
    public void A_broken_host_json_fails_with_file_line_and_reason(string json, string where, string reason)
    {
        var ex = Assert.Throws<HostFactsException>(() => SnapshotHostFacts.Open(FileSystem(hostJson: json), Folder, "orch-ms01"));
        Assert.StartsWith("orch-ms01: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_json_with_a_utf8_bom_as_powershell_51_writes_it_is_read()
    {
        var fs = FileSystem(hostJson: null);
        fs.AddFile($"{Folder}/host.json", new MockFileData([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(FullHostJson)]));
        var facts = SnapshotHostFacts.Open(fs, Folder, "orch-ms01");
        Assert.Equal(2, (await facts.GetHardwareAsync(TestContext.Current.CancellationToken)).CpuCores);
    }

    [Fact]
    public void A_broken_reg_file_fails_with_its_name_and_line()
    {
        var ex = Assert.Throws<HostFactsException>(() => SnapshotHostFacts.Open(FileSystem(registry: WindowsNt + "\"Broken\"=dword:xyz\r\n"), Folder, "orch-ms01"));
        Assert.Equal("orch-ms01: orch-ms01/registry.reg, line 9: \"Broken\": dword data must be 8 hex digits, found 'xyz'", ex.Message);
    }

    [Fact]
    public void A_missing_or_empty_folder_is_an_error()
    {
        var ex = Assert.Throws<HostFactsException>(() => SnapshotHostFacts.Open(new MockFileSystem(), "/snap/none", "orch-ms01"));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<HostFactsException>(() => SnapshotHostFacts.Open(FileSystem(registry: null, hostJson: null), Folder, "orch-ms01"));
        Assert.Contains("neither registry.reg nor host.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_every_reg_file_in_the_folder()
    {
        var fs = FileSystem();
        fs.AddFile($"{Folder}/02-inetstp.reg", new MockFileData("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\InetStp]\r\n\"MajorVersion\"=dword:0000000a\r\n"));
        var facts = SnapshotHostFacts.Open(fs, Folder, "orch-ms01");
        var key = await facts.Registry.ReadKeyAsync(@"SOFTWARE\Microsoft\InetStp", TestContext.Current.CancellationToken);
        Assert.Equal(10u, key.Value("MajorVersion")!.Data);
    }

    [Fact]
    public async Task Iis_logs_folder_is_read_with_the_files_named_from_the_snapshot()
    {
        var fs = FileSystem();
        fs.AddFile($"{Folder}/iis-logs/W3SVC1/u_ex261206.log", new MockFileData(string.Join("\r\n",
            "#Software: Microsoft Internet Information Services 10.0",
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
            "2026-12-06 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc/Jobs - 81 CONTOSO\\svc-scsm 10.0.0.31 - - 200 0 0 15",
            "2026-12-06 09:00:00 10.0.0.20 GET /iisstart.htm - 80 - 10.0.0.42 Mozilla/5.0 - 200 0 0 15"))
        {
            LastWriteTime = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc),
        });
        var facts = SnapshotHostFacts.Open(fs, Folder, "orch-ms01");

        var scan = await facts.ReadIisLogRequestsAsync(
            new IisLogQuery("/Orchestrator2012/Orchestrator.svc", new DateTimeOffset(2026, 11, 6, 0, 0, 0, TimeSpan.Zero)), TestContext.Current.CancellationToken);

        var entry = Assert.Single(scan.Entries);
        Assert.Equal(("10.0.0.31", "CONTOSO\\svc-scsm"), (entry.ClientIp, entry.UserName));
        Assert.Equal(["orch-ms01/iis-logs/W3SVC1/u_ex261206.log"], scan.FilesRead);
        Assert.Contains("iis-logs", scan.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_without_iis_logs_makes_the_logs_unknown_not_empty()
    {
        var facts = SnapshotHostFacts.Open(FileSystem(), Folder, "orch-ms01");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => facts.ReadIisLogRequestsAsync(
            new IisLogQuery("/Orchestrator2012/Orchestrator.svc", DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));

        Assert.Contains("no iis-logs folder", ex.Message, StringComparison.Ordinal);
    }
}
