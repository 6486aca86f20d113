using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Host;
using static OrchUpgradePrep.Sandbox.Host.SandboxHost;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>Building blocks of the sandbox hosts: what a real, healthy Orchestrator 2019 UR3 host exports.</summary>
internal static class SandboxHosts
{
    public const string WindowsNt = @"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    public const string NetFramework = @"SOFTWARE\Microsoft\NET Framework Setup\NDP";
    public const string InetStp = @"SOFTWARE\Microsoft\InetStp";
    public const string Uninstall = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
    public const string Uninstall32 = @"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall";
    public const string SystemCenter32 = @"SOFTWARE\WOW6432Node\Microsoft\SystemCenter2012";
    public const string ComponentBasedServicing = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing";
    public const string WindowsUpdate = @"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate";
    public const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";
    public const string ComputerName = @"SYSTEM\CurrentControlSet\Control\ComputerName";
    public const string Netlogon = @"SYSTEM\CurrentControlSet\Services\Netlogon";
    public const string ServerManager = @"SOFTWARE\Microsoft\ServerManager";
    public const string Updates = @"SOFTWARE\Microsoft\Updates";
    public const string Updates32 = @"SOFTWARE\WOW6432Node\Microsoft\Updates";
    public const string RunOnce = @"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce";
    public const string ConfigMgrClient = @"SOFTWARE\Microsoft\CCM";
    public const string SystemCenter64 = @"SOFTWARE\Microsoft\SystemCenter2012";
    public const string VcRuntimeX64 = @"SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64";
    public const string Sni19 = @"SOFTWARE\Microsoft\MSSQLServer\Client\SNI19.0";

    public const string Orchestrator2019Ur3 = "10.19.126.0";
    public const string InstallFolder2019 = @"C:\Program Files (x86)\Microsoft System Center\Orchestrator\";
    public const string Orchestrator2022Ur3 = "10.22.10.2";

    /// <summary>From 2022 on Orchestrator is 64-bit and installs under %ProgramFiles%.</summary>
    public const string InstallFolder2022 = @"C:\Program Files\Microsoft System Center\Orchestrator\";

    /// <summary>The account the sandbox's upgrade runs as (policies.upgradeAccount) and its Orchestrator services log on as.</summary>
    public const string UpgradeAccount = @"CONTOSO\svc-orch";

    public static SandboxHost WindowsServer(string name, WindowsBuild build, params HostRole[] roles)
    {
        var host = new SandboxHost(name, roles)
            .Key(WindowsNt, string.Empty,
                Sz("ProductName", build.ProductName),
                Sz("EditionID", "ServerStandard"),
                Sz("InstallationType", "Server"),
                Sz("CurrentBuild", build.Build.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Sz("CurrentBuildNumber", build.Build.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Dword("CurrentMajorVersionNumber", 10),
                Dword("CurrentMinorVersionNumber", 0),
                Sz("CurrentVersion", "6.3"),
                Dword("UBR", build.Ubr))
            .Key(NetFramework, @"v3.5", Dword("Install", 1), Dword("SP", 1), Sz("Version", "3.5.30729.4926"))
            .Key(NetFramework, @"v4\Full", Dword("Install", 1), Dword("Release", 528049), Sz("Version", "4.8.04084"))
            .Export(Uninstall)
            .Export(Uninstall32)
            .Absent(InetStp)
            .Absent(SystemCenter32)
            .Key(ComponentBasedServicing, string.Empty)
            .Key(WindowsUpdate, @"Auto Update")
            .Key(SessionManager, string.Empty, MultiSz("BootExecute", "autocheck autochk *"))
            .Key(ComputerName, @"ActiveComputerName", Sz("ComputerName", name.ToUpperInvariant()))
            .Key(ComputerName, @"ComputerName", Sz("ComputerName", name.ToUpperInvariant()))
            .Key(Netlogon, @"Parameters", Sz("SysVolReady", "1"))
            .Key(ServerManager, string.Empty, Dword("CurrentRebootAttempts", 0))
            .Key(ServerManager, @"ServicingStorage\ServerComponentCache")
            .Export(Updates)
            .Export(Updates32)
            .Export(RunOnce)
            .Absent(ConfigMgrClient)
            .Absent(VcRuntimeX64);
        host.Facts = new SandboxHostFacts
        {
            Caption = "Microsoft " + build.ProductName,
            Build = build.Build,
            MemoryBytes = 16L << 30,
            CpuCores = 4,
            LogicalProcessors = 8,
            MaxClockSpeedMHz = 2600,
            FreeBytesOnC = 80L << 30,
            Processes = SandboxProcesses.For(roles),
            Services = OrchestratorServices(roles),
            LocalGroups = new Dictionary<string, IReadOnlyList<GroupMember>>(StringComparer.OrdinalIgnoreCase)
            {
                ["Administrators"] = [new($@"{name.ToUpperInvariant()}\Administrator"), new(UpgradeAccount)],
                ["OrchestratorSystemGroup"] = [new(UpgradeAccount)],
            },
            Accounts = [new AccountState(UpgradeAccount, LockedOut: false, Disabled: false, PasswordExpired: false, "host.json accounts")],
        };
        return host;
    }

    /// <summary>The Orchestrator services a role runs (docs/facts/orchestrator-versions.md#services), logging on as the service account.</summary>
    private static ServiceInfo[] OrchestratorServices(HostRole[] roles)
    {
        var services = new List<ServiceInfo>();
        if (roles.Contains(HostRole.ManagementServer))
        {
            services.Add(new("omanagement", "Orchestrator Management Service", "Running", "Auto", null, UpgradeAccount));
            services.Add(new("omonitor", "Orchestrator Runbook Server Monitor", "Running", "Auto", null, UpgradeAccount));
            services.Add(new("oremoting", "Orchestrator Remoting Service", "Running", "Auto", null, UpgradeAccount));
        }

        if (roles.Contains(HostRole.RunbookServer))
        {
            services.Add(new("orunbook", "Orchestrator Runbook Service", "Running", "Auto", null, UpgradeAccount));
        }

        return [.. services];
    }

    /// <summary>DSC's Local Configuration Manager in <paramref name="lcmState"/> (PendingReboot: a configuration waits for a restart).</summary>
    public static SandboxHost WithDsc(this SandboxHost host, string lcmState)
    {
        host.Facts = host.Facts with { DscLcmState = lcmState };
        return host;
    }

    /// <summary>A PendingFileRenameOperations delete whose source file is already gone (host.json files says so): stale.</summary>
    public static SandboxHost WithStaleFileRename(this SandboxHost host, string path)
    {
        host.Key(SessionManager, string.Empty, MultiSz("BootExecute", "autocheck autochk *"), MultiSz("PendingFileRenameOperations", $@"\??\{path}", string.Empty));
        host.Facts = host.Facts with { Files = new Dictionary<string, bool>(host.Facts.Files, StringComparer.OrdinalIgnoreCase) { [path] = false } };
        return host;
    }

    /// <summary>Takes the upgrade account out of the host's Administrators, leaving it in OrchestratorSystemGroup only.</summary>
    public static SandboxHost WithUpgradeAccountNotAdmin(this SandboxHost host)
    {
        var groups = new Dictionary<string, IReadOnlyList<GroupMember>>(host.Facts.LocalGroups, StringComparer.OrdinalIgnoreCase)
        {
            ["Administrators"] = [.. host.Facts.LocalGroups["Administrators"].Where(m => !string.Equals(m.Name, UpgradeAccount, StringComparison.OrdinalIgnoreCase))],
        };
        host.Facts = host.Facts with { LocalGroups = groups };
        return host;
    }

    /// <summary>The service account's password has expired, as the export script read it (host.json accounts): a domain
    /// account's state, so every host of the environment shows it.</summary>
    public static SandboxHost WithServiceAccountPasswordExpired(this SandboxHost host)
    {
        host.Facts = host.Facts with
        {
            Accounts = [.. host.Facts.Accounts.Select(a => string.Equals(a.Account, UpgradeAccount, StringComparison.OrdinalIgnoreCase) ? a with { PasswordExpired = true } : a)],
        };
        return host;
    }

    /// <summary>An installed Orchestrator as its uninstall entry and SystemCenter2012 key show it.</summary>
    public static SandboxHost WithOrchestrator(this SandboxHost host, string displayName, string version, string installFolder) =>
        host.Key(Uninstall32, "{D8A3C0C7-1D14-4E5F-9C1E-2A4E3F1B0A19}",
                Sz("DisplayName", displayName),
                Sz("DisplayVersion", version),
                Sz("Publisher", "Microsoft Corporation"),
                Sz("InstallLocation", installFolder))
            .Key(SystemCenter32, @"Orchestrator\Management Server", Sz("InstallLocation", installFolder))
            .Key(SystemCenter32, @"Orchestrator\Configuration", Dword("WebPort", 81));

    /// <summary>A 64-bit Orchestrator (2022 and later): its uninstall entry in the 64-bit view, and its services'
    /// binaries under the install folder (Win32_Service.PathName, as the export script reads it).</summary>
    public static SandboxHost WithOrchestrator64(this SandboxHost host, string displayName, string version, string installFolder)
    {
        host.Key(Uninstall, "{5E6D1B43-9A4C-4E2B-8F7D-0C3A2B1E4D22}",
                Sz("DisplayName", displayName),
                Sz("DisplayVersion", version),
                Sz("Publisher", "Microsoft Corporation"),
                Sz("InstallLocation", installFolder))
            .Key(SystemCenter64, @"Orchestrator\Management Server", Sz("InstallLocation", installFolder));
        host.Facts = host.Facts with
        {
            Services = [.. host.Facts.Services.Select(s => s.PathName is null && BinaryOf(s.Name) is { } binary ? s with { PathName = $"\"{installFolder}{binary}\"" } : s)],
        };
        return host;
    }

    /// <summary>Each Orchestrator service's binary under the install folder (docs/facts/orchestrator-versions.md#services;
    /// which of the two documented Management Service binaries 2022 uses is unconfirmed, the sandbox uses ManagementService.exe).</summary>
    private static string? BinaryOf(string service) => service switch
    {
        "omanagement" => @"Management Server\ManagementService.exe",
        "omonitor" => @"Management Server\RunbookServerMonitorService.exe",
        "oremoting" => @"Management Server\OrchestratorRemotingService.exe",
        "orunbook" => @"Runbook Server\RunbookService.exe",
        _ => null,
    };

    /// <summary>Integration packs deployed on a 64-bit (2022+) runbook server: one subkey a pack under
    /// SystemCenter2012\Orchestrator\IPs, named by the pack's id, with its name (UNCONFIRMED layout, community).</summary>
    public static SandboxHost WithIntegrationPacks64(this SandboxHost host, params (Guid Id, string Name)[] packs)
    {
        host.Key(SystemCenter64, @"Orchestrator\IPs");
        foreach (var (id, name) in packs)
        {
            host.Key(SystemCenter64, $@"Orchestrator\IPs\{{{id}}}", Sz("Name", name));
        }

        return host;
    }

    /// <summary>The Microsoft OLE DB Driver for SQL Server as its x64 installer registers it: major 18 names no number, 19 does.</summary>
    public static SandboxHost WithOleDbDriver(this SandboxHost host, string version) =>
        version.StartsWith("18.", StringComparison.Ordinal)
            ? host.Key(Uninstall, "{0C5F4E1A-5B77-4F3A-9E8C-18A1B2C3D4E5}",
                Sz("DisplayName", "Microsoft OLE DB Driver for SQL Server"),
                Sz("DisplayVersion", version),
                Sz("Publisher", "Microsoft Corporation"))
            : host.Key(Uninstall, "{7A1D9C2B-3E4F-4A5B-8C6D-19A1B2C3D4E5}",
                    Sz("DisplayName", $"Microsoft OLE DB Driver {version.Split('.')[0]} for SQL Server"),
                    Sz("DisplayVersion", version),
                    Sz("Publisher", "Microsoft Corporation"))
                // Its client settings, TrustServerCertificate off (docs/facts/sql-client-encryption.md: the layout is unconfirmed).
                .WithTrustServerCertificateFlag(0);

    /// <summary>The Visual C++ 2015–2022 Redistributable (x64) as it registers itself under VC\Runtimes\x64.</summary>
    public static SandboxHost WithVcRedist(this SandboxHost host, uint minor, uint build) =>
        host.Key(VcRuntimeX64, string.Empty,
            Dword("Installed", 1),
            Sz("Version", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v14.{minor}.{build}.00")),
            Dword("Major", 14),
            Dword("Minor", minor),
            Dword("Bld", build),
            Dword("Rbld", 0));

    /// <summary>OLE DB Driver 19's TrustServerCertificate switch turned on (Setup's /TrustServerCertificate writes it).</summary>
    public static SandboxHost WithTrustServerCertificate(this SandboxHost host) => host.WithTrustServerCertificateFlag(1);

    private static SandboxHost WithTrustServerCertificateFlag(this SandboxHost host, uint value) =>
        host.Key(Sni19, @"GeneralFlags\Flag2", Sz("Label", "Trust Server Certificate"), Dword("Value", value));

    /// <summary>IIS logs with these requests (added to any the host has): an iis-logs folder in its snapshot.</summary>
    public static SandboxHost WithIisRequests(this SandboxHost host, params SandboxIisRequest[] requests)
    {
        host.Facts = host.Facts with { IisRequests = [.. host.Facts.IisRequests ?? [], .. requests] };
        return host;
    }

    public static SandboxHost WithIis(this SandboxHost host, uint major = 10) =>
        host.Key(InetStp, string.Empty, Dword("MajorVersion", major), Dword("MinorVersion", 0), ExpandSz("PathWWWRoot", @"%SystemDrive%\inetpub\wwwroot"));

    public static SandboxHost WithAspNetCore(this SandboxHost host, string version)
    {
        host.Facts = host.Facts with { AspNetCoreRuntimes = [.. host.Facts.AspNetCoreRuntimes, version] };
        return host;
    }
}

/// <summary>A Windows Server release as the registry reports it.</summary>
internal sealed record WindowsBuild(string ProductName, int Build, uint Ubr)
{
    public static WindowsBuild Server2016 { get; } = new("Windows Server 2016 Standard", 14393, 7428);
    public static WindowsBuild Server2019 { get; } = new("Windows Server 2019 Standard", 17763, 6532);
    public static WindowsBuild Server2022 { get; } = new("Windows Server 2022 Standard", 20348, 2849);
    public static WindowsBuild Server2025 { get; } = new("Windows Server 2025 Standard", 26100, 2314);
}

/// <summary>The host.json side of a sandbox host (facts the registry does not hold).</summary>
internal sealed record SandboxHostFacts
{
    /// <summary>Win32_Service: the Orchestrator services of the host's roles (WindowsServer adds them).</summary>
    public IReadOnlyList<ServiceInfo> Services { get; init; } = [];

    /// <summary>Local groups by name (Win32_GroupUser): by default the upgrade account is an Administrator.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<GroupMember>> LocalGroups { get; init; } = new Dictionary<string, IReadOnlyList<GroupMember>>();

    /// <summary>Accounts whose state the export script read (the service account by default: working).</summary>
    public IReadOnlyList<AccountState> Accounts { get; init; } = [];

    /// <summary>The DSC LCM state; null = no DSC on the host.</summary>
    public string? DscLcmState { get; init; }

    /// <summary>Whether files exist, by path (the sources of pending file renames).</summary>
    public IReadOnlyDictionary<string, bool> Files { get; init; } = new Dictionary<string, bool>();

    /// <summary>Requests in the host's IIS W3C logs (written as the snapshot's iis-logs folder); null = no iis-logs exported.</summary>
    public IReadOnlyList<SandboxIisRequest>? IisRequests { get; init; }

    public string Caption { get; init; } = "Microsoft Windows Server 2022 Standard";
    public int Build { get; init; } = 20348;
    public string InstallationType { get; init; } = "Server";
    public long MemoryBytes { get; init; } = 16L << 30;
    public int CpuCores { get; init; } = 4;
    public int LogicalProcessors { get; init; } = 8;
    public int MaxClockSpeedMHz { get; init; } = 2600;
    public long FreeBytesOnC { get; init; } = 80L << 30;
    public IReadOnlyList<string> AspNetCoreRuntimes { get; init; } = [];

    /// <summary>Win32_Process: by default Windows' own processes only (WindowsServer adds the roles' services).</summary>
    public IReadOnlyList<ProcessInfo> Processes { get; init; } = SandboxProcesses.For([]);

    /// <summary>WTS sessions: by default nobody is signed in.</summary>
    public IReadOnlyList<SessionInfo> Sessions { get; init; } = SandboxProcesses.IdleSessions;
}

/// <summary>One request in a sandbox host's IIS log, <see cref="Ago"/> before the session starts; a null field is logged as <c>-</c>.</summary>
internal sealed record SandboxIisRequest(TimeSpan Ago, string ClientIp, string? UserAgent, string? UserName, string UriStem, int Status = 200)
{
    public const string LegacyService = "/Orchestrator2012/Orchestrator.svc/Jobs";

    /// <summary>orchprep's own drain polling the jobs (its User-Agent as IIS logs it).</summary>
    public static SandboxIisRequest Orchprep(TimeSpan ago) => new(ago, "10.0.0.5", "orchprep/1.0.0", @"CONTOSO\svc-orchprep", LegacyService);
}
