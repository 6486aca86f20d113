using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Platform.HostFacts.Cim;
using OrchUpgradePrep.Ports;
using Xunit;
using static OrchUpgradePrep.Tests.Platform.HostFacts.Cim.FakeCimQueries;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.Cim;

public sealed class CimHostFactsTests
{
    private readonly FakeCimQueries _host = new();

    private CimHostFacts Facts(CimHostFactsOptions? options = null) =>
        new(Host, _host, options ?? new CimHostFactsOptions(), new FakeTimeProvider());

    [Fact]
    public async Task DetermineIfRebootPending_is_read_and_a_missing_namespace_means_no_client()
    {
        Assert.Null(await Facts().GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken));

        _host.ConfigMgr = new CimMethodOutput(0u, new Dictionary<string, object?> { ["RebootPending"] = true, ["IsHardRebootPending"] = false });
        var state = await Facts().GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0u, true, false), (state!.ReturnValue, state.RebootPending, state.IsHardRebootPending));
        Assert.Contains("CCM_ClientUtilities.DetermineIfRebootPending()", state.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iis_logs_are_not_readable_over_CIM_and_the_error_names_the_ways_that_work()
    {
        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().ReadIisLogRequestsAsync(
            new IisLogQuery("/Orchestrator2012/Orchestrator.svc", DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));

        Assert.Contains("cannot be read over WinRM/CIM", ex.Message, StringComparison.Ordinal);
        Assert.Contains("iis-logs", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"run orchprep on {Host}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_DetermineIfRebootPending_answer_without_its_flags_is_an_error_never_not_pending()
    {
        _host.ConfigMgr = new CimMethodOutput(0u, new Dictionary<string, object?>());

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetConfigMgrRebootStateAsync(TestContext.Current.CancellationToken));

        Assert.Contains("no RebootPending", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operating_system_comes_from_Win32_OperatingSystem_and_the_installation_type_from_the_registry()
    {
        _host.AddRows("Win32_OperatingSystem", Row(("Caption", "Microsoft Windows Server 2022 Datacenter "), ("Version", "10.0.20348"), ("BuildNumber", "20348")));
        _host.AddKey(@"SOFTWARE\Microsoft\Windows NT\CurrentVersion", FakeRegValue.Sz("InstallationType", "Server Core"));

        var os = await Facts().GetOperatingSystemAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new OperatingSystemFacts("Microsoft Windows Server 2022 Datacenter", "10.0.20348", 20348, "Server Core", "CIM Win32_OperatingSystem (cim://orch-ms01)"), os);
        Assert.Equal("cim://orch-ms01", Facts().SourceDescription);
    }

    [Fact]
    public async Task Operating_system_with_a_build_that_is_not_a_number_is_an_error()
    {
        _host.AddRows("Win32_OperatingSystem", Row(("Caption", "Windows"), ("Version", "10.0"), ("BuildNumber", "abc")));

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetOperatingSystemAsync(TestContext.Current.CancellationToken));

        Assert.Contains("orch-ms01: CIM Win32_OperatingSystem.BuildNumber is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hardware_adds_cores_across_sockets_and_takes_the_slowest_clock()
    {
        _host.AddRows("Win32_ComputerSystem", Row(("TotalPhysicalMemory", 17_179_869_184UL)));
        _host.AddRows("Win32_Processor",
            Row(("NumberOfCores", 4u), ("NumberOfLogicalProcessors", 8u), ("MaxClockSpeed", 2400u)),
            Row(("NumberOfCores", 4u), ("NumberOfLogicalProcessors", 8u), ("MaxClockSpeed", 2100u)));

        var hardware = await Facts().GetHardwareAsync(TestContext.Current.CancellationToken);

        Assert.Equal(17_179_869_184L, hardware.TotalPhysicalMemoryBytes);
        Assert.Equal((8, 16, 2100), (hardware.CpuCores, hardware.LogicalProcessors, hardware.MaxClockSpeedMHz));
    }

    [Fact]
    public async Task Hardware_without_processors_is_an_error()
    {
        _host.AddRows("Win32_ComputerSystem", Row(("TotalPhysicalMemory", 1UL)));

        await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetHardwareAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Volumes_are_the_fixed_disks_that_are_ready()
    {
        _host.AddRows("Win32_LogicalDisk",
            Row(("DeviceID", "C:"), ("Size", 100UL), ("FreeSpace", 40UL)),
            Row(("DeviceID", "E:"), ("Size", null), ("FreeSpace", null)));

        var volumes = await Facts().GetVolumesAsync(TestContext.Current.CancellationToken);

        Assert.Equal([new VolumeFacts("C:", 100, 40)], volumes);
        Assert.Contains(_host.Calls, c => c.Contains("FROM Win32_LogicalDisk WHERE DriveType = 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Processes_carry_their_owner_from_GetOwner()
    {
        _host.AddRows("Win32_Process",
            Row(("Handle", "4120"), ("ProcessId", 4120u), ("Name", "RunbookDesigner.exe"), ("ExecutablePath", @"C:\Program Files\Microsoft System Center\Orchestrator\Runbook Designer\RunbookDesigner.exe"), ("SessionId", 2u)),
            Row(("Handle", "0"), ("ProcessId", 0u), ("Name", "System Idle Process"), ("ExecutablePath", null), ("SessionId", 0u)),
            Row(("Handle", "5000"), ("ProcessId", 5000u), ("Name", "exited.exe"), ("ExecutablePath", null), ("SessionId", 1u)));
        _host.Owners["4120"] = (0, "CONTOSO", "alice");
        _host.Owners["0"] = (2, null, null);

        var processes = await Facts().GetProcessesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new ProcessInfo(4120, "RunbookDesigner.exe", @"C:\Program Files\Microsoft System Center\Orchestrator\Runbook Designer\RunbookDesigner.exe", @"CONTOSO\alice", 2), processes[0]);
        Assert.Null(processes[1].UserName);
        Assert.Null(processes[2].UserName);
        Assert.Equal(5000, processes[2].ProcessId);
    }

    [Fact]
    public async Task Processes_without_owner_lookup_make_one_query()
    {
        _host.AddRows("Win32_Process", Row(("Handle", "1"), ("ProcessId", 1u), ("Name", "a.exe"), ("SessionId", 0u)));

        var processes = await Facts(new CimHostFactsOptions { ResolveProcessOwners = false }).GetProcessesAsync(TestContext.Current.CancellationToken);

        Assert.Null(Assert.Single(processes).UserName);
        Assert.Single(_host.Calls);
    }

    [Fact]
    public async Task Owner_lookup_that_fails_for_another_reason_is_an_error()
    {
        _host.AddRows("Win32_Process", Row(("Handle", "1"), ("ProcessId", 1u), ("Name", "a.exe"), ("SessionId", 0u)));
        var facts = new CimHostFacts(Host, new FailingGetOwner(_host), new CimHostFactsOptions(), new FakeTimeProvider());

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => facts.GetProcessesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("access denied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_are_interactive_logons_with_processes_one_per_Windows_session()
    {
        _host.AddRows("Win32_LogonSession",
            Row(("LogonId", "1001"), ("LogonType", 10u)),
            Row(("LogonId", "1002"), ("LogonType", 10u)), // UAC's second token for the same RDP session
            Row(("LogonId", "2001"), ("LogonType", 2u)),
            Row(("LogonId", "999"), ("LogonType", 5u)),   // service
            Row(("LogonId", "3001"), ("LogonType", 10u))); // stale: no process
        _host.AddRows("Win32_LoggedOnUser",
            Row(("Antecedent", Row(("Domain", "CONTOSO"), ("Name", "alice"))), ("Dependent", Row(("LogonId", "1001")))),
            Row(("Antecedent", Row(("Domain", "CONTOSO"), ("Name", "alice"))), ("Dependent", Row(("LogonId", "1002")))),
            Row(("Antecedent", Row(("Domain", "ORCH-MS01"), ("Name", "Administrator"))), ("Dependent", Row(("LogonId", "2001")))),
            Row(("Antecedent", Row(("Domain", "NT AUTHORITY"), ("Name", "SYSTEM"))), ("Dependent", Row(("LogonId", "999")))));
        _host.AddRows("Win32_Process",
            Row(("Handle", "10"), ("SessionId", 2u)),
            Row(("Handle", "11"), ("SessionId", 2u)),
            Row(("Handle", "20"), ("SessionId", 1u)),
            Row(("Handle", "4"), ("SessionId", 0u)));
        _host.AddRows("Win32_SessionProcess",
            Row(("Antecedent", Row(("LogonId", "1001"))), ("Dependent", Row(("Handle", "10")))),
            Row(("Antecedent", Row(("LogonId", "1002"))), ("Dependent", Row(("Handle", "11")))),
            Row(("Antecedent", Row(("LogonId", "2001"))), ("Dependent", Row(("Handle", "20")))),
            Row(("Antecedent", Row(("LogonId", "999"))), ("Dependent", Row(("Handle", "4")))));

        var sessions = await Facts().GetSessionsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [new SessionInfo(1, @"ORCH-MS01\Administrator", "Unknown", null), new SessionInfo(2, @"CONTOSO\alice", "Unknown", null)],
            sessions);
    }

    [Fact]
    public async Task Services_map_from_Win32_Service()
    {
        _host.AddRows("Win32_Service",
            Row(("Name", "omanagement"), ("DisplayName", "Orchestrator Management Service"), ("State", "Running"), ("StartMode", "Auto"),
                ("PathName", @"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\ManagementService.exe""")),
            Row(("Name", "bare"), ("DisplayName", null), ("State", null), ("StartMode", null), ("PathName", null)));

        var services = await Facts().GetServicesAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Orchestrator Management Service", services[0].DisplayName);
        Assert.Equal(new ServiceInfo("bare", "bare", "Unknown", "Unknown", null), services[1]);
    }

    [Fact]
    public async Task Services_carry_the_process_id_and_whether_the_process_is_shared()
    {
        // CIM hands ProcessId over as UInt32; ServiceType as "Own Process" / "Share Process".
        _host.AddRows("Win32_Service",
            Row(("Name", "orunbook"), ("DisplayName", "Orchestrator Runbook Service"), ("State", "Stop Pending"), ("StartMode", "Auto"), ("PathName", null), ("ProcessId", 2220u), ("ServiceType", "Own Process")),
            Row(("Name", "Dnscache"), ("DisplayName", "DNS Client"), ("State", "Running"), ("StartMode", "Auto"), ("PathName", null), ("ProcessId", 1400u), ("ServiceType", "Share Process")),
            Row(("Name", "stopped"), ("DisplayName", "Stopped"), ("State", "Stopped"), ("StartMode", "Manual"), ("PathName", null), ("ProcessId", 0u), ("ServiceType", null)));

        var services = await Facts().GetServicesAsync(TestContext.Current.CancellationToken);

        Assert.Equal([(2220, false), (1400, true), (0, (bool?)null)], services.Select(s => (s.ProcessId!.Value, s.SharesProcess)));
    }

    [Fact]
    public async Task DotNet_runtimes_are_the_shared_folders_with_their_usual_names()
    {
        _host.AddKey(@"SOFTWARE\Microsoft\Windows\CurrentVersion", FakeRegValue.Sz("ProgramFilesDir", @"C:\Program Files"));
        _host.Folders.AddRange([
            @"C:\Program Files\dotnet\shared\Microsoft.AspNetCore.App",
            @"C:\Program Files\dotnet\shared\Microsoft.AspNetCore.App\8.0.10",
            @"C:\Program Files\dotnet\shared\Microsoft.AspNetCore.App\8.0.9",
            @"C:\Program Files\dotnet\shared\Microsoft.AspNetCore.App\.tmp",
            @"C:\Program Files\dotnet\shared\Microsoft.NETCore.App",
            @"C:\Program Files\dotnet\shared\Microsoft.NETCore.App\8.0.10",
        ]);

        var runtimes = await Facts().GetDotNetRuntimesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [new DotNetRuntime("Microsoft.AspNetCore.App", "8.0.9"), new DotNetRuntime("Microsoft.AspNetCore.App", "8.0.10"), new DotNetRuntime("Microsoft.NETCore.App", "8.0.10")],
            runtimes);
    }

    [Fact]
    public async Task DotNet_runtimes_without_a_dotnet_folder_are_none()
    {
        _host.AddKey(@"SOFTWARE\Microsoft\Windows\CurrentVersion", FakeRegValue.Sz("ProgramFilesDir", @"D:\Apps"));

        Assert.Empty(await Facts().GetDotNetRuntimesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DotNet_runtimes_without_a_program_files_folder_are_an_error_not_none()
    {
        _host.AddKey(@"SOFTWARE\Microsoft\Windows\CurrentVersion");

        var ex = await Assert.ThrowsAsync<HostFactsException>(() => Facts().GetDotNetRuntimesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ProgramFilesDir", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Passes queries through; GetOwner fails with access denied.</summary>
    private sealed class FailingGetOwner(FakeCimQueries inner) : ICimQueries
    {
        public string Endpoint => inner.Endpoint;

        public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string cimNamespace, string wqlQuery, CancellationToken cancellationToken) =>
            inner.QueryAsync(cimNamespace, wqlQuery, cancellationToken);

        public Task<CimMethodOutput> InvokeAsync(string cimNamespace, string className, IReadOnlyDictionary<string, object>? instanceKeys, string methodName,
            IReadOnlyDictionary<string, object> arguments, CancellationToken cancellationToken) =>
            throw new CimCallException("Access is denied.", "AccessDenied", 5, "Win32");
    }
}
