using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.Host;
using static OrchUpgradePrep.Sandbox.Host.SandboxHost;
using static OrchUpgradePrep.Sandbox.Scenarios.SandboxHosts;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>The built-in scenarios (`orchprep sandbox --scenario NAME`, `--sandbox=NAME`).</summary>
public static class SandboxScenarios
{
    private static readonly SandboxScenario[] All =
    [
        new()
        {
            Name = "healthy",
            Description = "Orchestrator 2019 UR3 on supported Windows Server hosts, upgrading to 2022: management server, two runbook servers, a web host, and SQL Server 2022 whose newest backup is 3 days old. Two runbooks finish within seconds and a monitor runs (check: runbooks and backup unmet; prepare drains, stops the monitor, blocks new starts, backs up and verifies).",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
        },
        new()
        {
            Name = "busy",
            Description = "The healthy environment plus a month-end close that runs two more hours: `prepare --drain wait` times out naming it (exit 1); `--drain stop` stops it and passes.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Busy,
        },
        new()
        {
            Name = "restarted-job",
            Description = "The busy environment whose month-end close a schedule starts again once after its job is stopped: `prepare --drain stop` stops the new job too and passes; `--drain wait` times out like busy.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.RestartedOnce,
        },
        new()
        {
            Name = "web-down",
            Description = "The healthy environment with its Orchestrator web service down (connection refused): the runbooks checks and the drain use the database path, and say so.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
            Web = SandboxWebMode.Down,
        },
        new()
        {
            Name = "flaky-web",
            Description = "The healthy environment whose web service answers every 3rd request with 503 and resets every 7th connection: retries carry the run through.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
            Web = SandboxWebMode.Flaky,
        },
        new()
        {
            Name = "orphans",
            Description = "The healthy environment plus a runbook instance a crashed Runbook Service left \"running\" two days ago: runbooks.orphans is unmet; prepare clears it once the Runbook Services are stopped.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Orphans,
        },
        new()
        {
            Name = "ready",
            Description = "Everything already holds: the healthy hosts, a copy-only backup with checksums from 2 hours ago and a service master key backup, so check exits 0.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "host-unreachable",
            Description = "The ready environment plus two runbook servers orchprep cannot reach: orch-rb04's WinRM refuses the connection, orch-rb05 is not in DNS. Their checks are errors with the reason, never met (exit 3).",
            Hosts = () => [.. HealthyHosts(), .. UnreachableRunbookServers()],
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
            UnreachableHosts = new Dictionary<string, string>
            {
                ["orch-rb04"] = "WinRM at orch-rb04:5985 refused the connection (is the WinRM service running and the firewall open?)",
                ["orch-rb05"] = "no such host is known (DNS has no record for orch-rb05)",
            },
        },
        new()
        {
            Name = "access-denied",
            Description = "The ready environment where orchprep's account is not a local administrator on the runbook server orch-rb02: it answers, but every CIM query and registry read is access denied and its Runbook Service may not be stopped. Its checks are errors naming access denied (check exits 3); prepare blocks starts on the other runbook servers only and says orch-rb02's could not be (exit 1).",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
            AccessDeniedHosts = ["orch-rb02"],
        },
        new()
        {
            Name = "requirements-unmet",
            Description = "Hosts that do not meet Orchestrator 2022's requirements: old OS, Server Core, too little memory, CPU and disk, no IIS, old .NET, and an installed 2016 that needs several upgrade steps.",
            Hosts = RequirementsUnmetHosts,
        },
        new()
        {
            Name = "pending-restart",
            Description = "Healthy hosts, three of them waiting for a restart: orch-ms01 has a Component Based Servicing RebootPending and a computer rename, orch-rb02 a Windows Update RebootRequired and a benign temp-folder delete in PendingFileRenameOperations (warning), orch-rb03 a feature install (Server Manager CurrentRebootAttempts 1); orch-web01 is clean.",
            Hosts = PendingRestartHosts,
        },
        new()
        {
            Name = "service-stop-hangs",
            Description = "The ready environment, except that orch-rb02's Runbook Service takes a stop and never finishes it (StopPending, process 2220), as Orchestrator 2022's release notes document for omonitor and oremoting; policies.services.stopTimeout is 3s. prepare is unmet naming the process ID and the documented workaround (`taskkill /f /pid 2220` on orch-rb02) and ends no process (exit 1); `prepare --force-stop` ends that process and passes; resume starts the service again.",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.StopHangs,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
            ServiceStopTimeout = TimeSpan.FromSeconds(3),
        },
        new()
        {
            Name = "monitor-stop-hangs",
            Description = "Orchestrator 2022 UR3 (10.22.10.2) on Windows Server 2022 hosts, upgrading to 2025, otherwise ready, except that orch-ms01's Runbook Server Monitor (omonitor) takes a stop and never finishes it (StopPending, process 2208): the known issue of Orchestrator 2022's release notes. On a 2022 management server prepare stops omonitor and oremoting after the Runbook Services; policies.services.stopTimeout is 3s. prepare is unmet naming omonitor, process 2208 and the documented workaround (`taskkill /f /pid 2208` on orch-ms01) and ends no process (exit 1); `prepare --force-stop` ends that process and passes; resume starts orunbook, omonitor and oremoting again.",
            Target = TargetVersion.V2025,
            Hosts = Ready2025Hosts,
            Orchestrator = SandboxOrchestratorProfiles.MonitorStopHangs,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
            ServiceStopTimeout = TimeSpan.FromSeconds(3),
        },
        new()
        {
            Name = "slow",
            Description = "The healthy hosts, each answering every fact after 2 seconds, each service stop or start taking 2 seconds, and CONTOSO\\jdoe's Runbook Designer and Runbook Tester left open on orch-ms01 (disconnected session 2), each taking 2 seconds to close under prepare --close-programs: shows progress, timeouts and Ctrl+C.",
            Hosts = () =>
            {
                var hosts = HealthyHosts();
                hosts.Single(h => h.Name == "orch-ms01")
                    .SignedIn(2, @"CONTOSO\jdoe", "Disconnected", "WS-JDOE")
                    .Running(7344, InstallFolder2019 + @"Runbook Designer\RunbookDesigner.exe", 2)
                    .Running(7412, InstallFolder2019 + @"Runbook Designer\RunbookTester.exe", 2);
                return hosts;
            },
            HostLatency = TimeSpan.FromSeconds(2),
            ServiceLatency = TimeSpan.FromSeconds(2),
            ProgramLatency = TimeSpan.FromSeconds(2),
            Sql = SandboxSqlProfiles.Slow,
            SqlLatency = TimeSpan.FromMilliseconds(500),
        },
        new()
        {
            Name = "low-disk",
            Description = "The backup volume has 16 MiB free for a 24 MiB database: prepare fails before writing (backup.free-space).",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.LowDisk,
        },
        new()
        {
            Name = "no-permission",
            Description = "The SQL login may not back up, verify or read server state: backup.permissions is unmet and prepare writes nothing.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.NoPermission,
        },
        new()
        {
            Name = "least-privilege",
            Description = "The ready environment, but orchprep logs in as CONTOSO\\svc-orchprep with exactly the grants of docs/sql-permissions.md's script (not sysadmin, no CONTROL SERVER): check exits 0; prepare backs up, verifies (and test-restores) and warns that the service master key is left to the administrator.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.LeastPrivilege,
            SqlLogin = SandboxLeastPrivilege.Login(),
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "express-edition",
            Description = "SQL Server Express: no backup compression, so prepare backs up uncompressed (compression: auto).",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.ExpressEdition,
        },
        new()
        {
            Name = "corrupt-backup",
            Description = "The backup file is damaged right after it is written: RESTORE VERIFYONLY finds it, the backup is never reported good.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.CorruptBackup,
        },
        new()
        {
            Name = "connection-drop",
            Description = "The SQL Server connection is cut at 40 % of the backup: backup.taken is unmet and the partial file is removed.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.ConnectionDrop,
        },
        new()
        {
            Name = "old-sql",
            Description = "The Orchestrator database is on SQL Server 2012 SP4, too old for Orchestrator 2022 (requirements.sql-version).",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.OldSql,
        },
        new()
        {
            Name = "programs-open",
            Description = "The ready environment with people signed in: CONTOSO\\jdoe left Runbook Designer open in disconnected session 2 on orch-ms01 (programs.orchestrator-programs and programs.other-sessions unmet), CONTOSO\\admin2 is signed in to orch-rb02 with nothing of Orchestrator open (programs.other-sessions warning).",
            Hosts = () =>
            {
                var hosts = HealthyHosts();
                hosts.Single(h => h.Name == "orch-ms01")
                    .SignedIn(2, @"CONTOSO\jdoe", "Disconnected", "WS-JDOE")
                    .Running(7344, InstallFolder2019 + @"Runbook Designer\RunbookDesigner.exe", 2);
                hosts.Single(h => h.Name == "orch-rb02")
                    .SignedIn(3, @"CONTOSO\admin2", "Active", "ADM-LAPTOP2")
                    .Running(6120, @"C:\Windows\explorer.exe", 3);
                return hosts;
            },
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "upgrade-2025-gaps",
            Description = "Orchestrator 2022 UR3 (10.22.10.2) on Windows Server 2022 hosts, upgrading to 2025, otherwise ready: orch-rb02 has only the OLE DB Driver 18 (2025 needs 19) and orch-rb03 the Visual C++ Redistributable 14.30 (2025 needs 14.34), so requirements.oledb-driver and requirements.vcredist are unmet naming each; CONTOSO\\jdoe has \\Finance\\Month-end close checked out (runbooks.checked-out unmet); the Active Directory and Operations Manager integration packs are built for 2019 and used by three runbooks (requirements.integration-packs unmet on each runbook server); the upgrade account CONTOSO\\svc-orch, also the services' logon account, is only in OrchestratorSystemGroup on orch-rb03 (accounts.upgrade-admin unmet there) and its password has expired (accounts.service unmet on every host whose Orchestrator services log on with it); DSC waits for a restart on orch-web01 (restart.dsc-pending-reboot unmet), and orch-ms01 has a pending delete of a file already gone (restart.pending-file-rename: a stale entry, warning); the SQL Server's certificate is self-signed and only orch-ms01 has TrustServerCertificate on, so requirements.sql-certificate-trust is unmet on the other hosts and a warning on orch-ms01 (check exits 1).",
            Target = TargetVersion.V2025,
            Orchestrator = SandboxOrchestratorProfiles.Upgrade2025Gaps,
            Hosts = Upgrade2025GapsHosts,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "legacy-web-clients",
            Description = "The ready environment (2019 UR3 upgrading to 2022) whose web host's IIS log shows two clients of the legacy web service 2022 removes: 10.0.0.31 as CONTOSO\\svc-scsm (2 requests in the last 30 days; one older is out of range) and a PowerShell script on 10.0.0.57 as CONTOSO\\jdoe; orchprep's own requests are left out, so requirements.legacy-web-service warns naming both, with Microsoft's workaround for the Service Manager connector (check exits 0: a warning does not fail the gate).",
            Hosts = LegacyWebClientsHosts,
            Sql = SandboxSqlProfiles.Ready,
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "backup-risks",
            Description = "The ready environment whose backup could not be restored elsewhere: the Orchestrator database is TDE-encrypted by the certificate OrchestratorTDE, never backed up, and its database master key opens only with its password, so backup.encryption-keys is unmet naming both with the BACKUP CERTIFICATE / BACKUP MASTER KEY steps (check exits 1); activity events and audit history hold 58 % of the data (backup.log-hygiene warns), and the last full backup took 7 hours, so the next would outlast prepare's 6-hour statement timeout (backup.database-size warns); Ola Hallengren's DatabaseBackup and CommandLog are in master, whose log cleanup may take orchprep's copy-only full for a full (backup.log-chain-interplay warns).",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.BackupRisks,
            KeyBackupPresent = true,
        },
        new()
        {
            Name = "backup-folder-denied",
            Description = "The healthy environment whose SQL Server service account (the gMSA CONTOSO\\gmsa-sql01$) may not write the backup folder: check warns that nothing proves its access (backup.service-account-access); prepare's probe backup fails with SQL Server's 3201 (operating system error 5, access denied) and 3013, so backup.service-account-access is unmet naming the account and the folder and the long backup is never started.",
            Hosts = HealthyHosts,
            Sql = SandboxSqlProfiles.BackupFolderDenied,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
        },
        new()
        {
            Name = "restore-elsewhere",
            Description = "The healthy environment with a second SQL Server 2022 instance, ORCH-SQL02\\ORCH on another machine, that reaches the backup folder through a share: prepare verifies the backup, restores it there under a scratch name in ORCH-SQL02's default folders, runs DBCC CHECKDB and drops it (backup.test-restore met, verified: restore, restoredOn ORCH-SQL02\\ORCH); backup.restore-keys warns that the database master key, encrypted by ORCH-SQL01's service master key, does not open by itself there and names the two ways to move it (prepare exits 0).",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
            RestoreServer = new SandboxRestoreServer(SandboxSqlProfiles.RestoreServer, SharesBackupFolder: true),
        },
        new()
        {
            Name = "restore-elsewhere-unreachable",
            Description = "As restore-elsewhere, but the backup folder is a path local to ORCH-SQL01 that ORCH-SQL02\\ORCH cannot see: prepare warns up front that the folder is not a UNC path, RESTORE HEADERONLY there fails with 3201 (operating system error 3), and backup.test-restore is unmet naming the path and CONTOSO\\gmsa-sql02$; the backup itself is verified (verifyonly) and kept (prepare exits 1).",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
            RestoreServer = new SandboxRestoreServer(SandboxSqlProfiles.RestoreServer, SharesBackupFolder: false),
        },
        new()
        {
            Name = "restore-elsewhere-older",
            Description = "As restore-elsewhere, but ORCH-SQL02\\ORCH runs SQL Server 2019 (15.0): RESTORE DATABASE there fails with 3169 (a newer backup never restores on an older server) and backup.test-restore is unmet saying so; nothing is left on ORCH-SQL02, the backup is verified (verifyonly) and kept (prepare exits 1).",
            Hosts = HealthyHosts,
            Orchestrator = SandboxOrchestratorProfiles.Healthy,
            RestoreServer = new SandboxRestoreServer(SandboxSqlProfiles.OlderRestoreServer, SharesBackupFolder: true),
        },
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToArray();

    public static string Describe(string name) => Find(name).Description;

    internal static SandboxScenario Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new Config.ConfigException($"no sandbox scenario '{name}'; scenarios: {string.Join(", ", Names)}.");

    // Ready for 2022: the OLE DB Driver 18 that 2022 needs is installed ahead of the upgrade, as is a current VC++ runtime.
    private static SandboxHost[] HealthyHosts() =>
    [
        WindowsServer("orch-ms01", WindowsBuild.Server2022, HostRole.ManagementServer, HostRole.RunbookServer)
            .WithOrchestrator("System Center Orchestrator 2019 Management Server", Orchestrator2019Ur3, InstallFolder2019)
            .WithOleDbDriver("18.7.4.0")
            .WithVcRedist(40, 33810),
        WindowsServer("orch-rb02", WindowsBuild.Server2019, HostRole.RunbookServer)
            .WithOrchestrator("System Center Orchestrator 2019 Runbook Server", Orchestrator2019Ur3, InstallFolder2019)
            .WithOleDbDriver("18.7.4.0")
            .WithVcRedist(40, 33810),
        WindowsServer("orch-rb03", WindowsBuild.Server2022, HostRole.RunbookServer)
            .WithOrchestrator("System Center Orchestrator 2019 Runbook Server", Orchestrator2019Ur3, InstallFolder2019)
            .WithOleDbDriver("18.7.4.0")
            .WithVcRedist(40, 33810),
        WindowsServer("orch-web01", WindowsBuild.Server2022, HostRole.WebService, HostRole.WebConsole)
            .WithOrchestrator("System Center Orchestrator 2019 Web Service", Orchestrator2019Ur3, InstallFolder2019)
            .WithOleDbDriver("18.7.4.0")
            .WithVcRedist(40, 33810)
            .WithIis()
            .WithAspNetCore("5.0.17")
            .WithAspNetCore("8.0.11")
            // The legacy web service's log holds only orchprep's own drain and requests to other paths.
            .WithIisRequests(
                SandboxIisRequest.Orchprep(TimeSpan.FromDays(12)),
                SandboxIisRequest.Orchprep(TimeSpan.FromDays(2)),
                new SandboxIisRequest(TimeSpan.FromDays(2), "10.0.0.42", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", null, "/iisstart.htm")),
    ];

    // Two clients still call the legacy web service 2022 removes: a Service Manager server's account and a PowerShell script.
    private static SandboxHost[] LegacyWebClientsHosts()
    {
        var hosts = HealthyHosts();
        hosts[3].WithIisRequests(
            new SandboxIisRequest(TimeSpan.FromDays(45), "10.0.0.31", null, @"CONTOSO\svc-scsm", SandboxIisRequest.LegacyService),
            new SandboxIisRequest(TimeSpan.FromDays(9), "10.0.0.31", null, @"CONTOSO\svc-scsm", SandboxIisRequest.LegacyService),
            new SandboxIisRequest(TimeSpan.FromDays(1), "10.0.0.31", null, @"CONTOSO\svc-scsm", SandboxIisRequest.LegacyService),
            new SandboxIisRequest(TimeSpan.FromHours(5), "10.0.0.57", "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.17763.592", @"CONTOSO\jdoe", "/Orchestrator2012/Orchestrator.svc/Runbooks"));
        return hosts;
    }

    private static SandboxHost[] UnreachableRunbookServers() =>
    [
        WindowsServer("orch-rb04", WindowsBuild.Server2022, HostRole.RunbookServer),
        WindowsServer("orch-rb05", WindowsBuild.Server2022, HostRole.RunbookServer),
    ];

    private static SandboxHost[] PendingRestartHosts()
    {
        var hosts = HealthyHosts();
        hosts[0]
            .Key(ComponentBasedServicing, "RebootPending")
            .Key(ComputerName, "ComputerName", Sz("ComputerName", "ORCH-MS01-NEW"));
        hosts[1]
            .Key(WindowsUpdate, @"Auto Update\RebootRequired", Dword("{5B3A2C7E-0F4D-4E4B-9C1A-3D2E1F0A9B8C}", 1))
            .Key(SessionManager, string.Empty, MultiSz("PendingFileRenameOperations", @"\??\C:\Windows\Temp\MpSigStub\mpam-fe.exe", string.Empty));
        hosts[2].Key(ServerManager, string.Empty, Dword("CurrentRebootAttempts", 1));
        return hosts;
    }

    private static SandboxHost[] RequirementsUnmetHosts()
    {
        // 2016 UR8 (7.3.327.0) cannot go to 2022 in one step: 2016 → 2019 → 2022.
        var management = WindowsServer("orch-ms01", WindowsBuild.Server2016, HostRole.ManagementServer, HostRole.RunbookServer)
            .WithOrchestrator("System Center 2016 Orchestrator Management Server", "7.3.327.0", @"C:\Program Files (x86)\Microsoft System Center 2016\Orchestrator\");
        management.Facts = management.Facts with
        {
            Caption = "Microsoft Windows Server 2016 Standard",
            Build = WindowsBuild.Server2016.Build,
            MemoryBytes = 1L << 30,
            CpuCores = 1,
            LogicalProcessors = 1,
            MaxClockSpeedMHz = 1800,
            FreeBytesOnC = 100L << 20,
        };

        var runbook = WindowsServer("orch-rb02", WindowsBuild.Server2022, HostRole.RunbookServer)
            .WithOrchestrator("System Center 2016 Orchestrator Runbook Server", "7.3.327.0", @"C:\Program Files (x86)\Microsoft System Center 2016\Orchestrator\")
            .Key(WindowsNt, string.Empty, Sz("InstallationType", "Server Core"))
            .Without(NetFramework)
            .Key(NetFramework, @"v4\Client", Dword("Install", 1), Sz("Version", "4.0.30319"));
        runbook.Facts = runbook.Facts with { InstallationType = "Server Core" };

        // A web host without IIS and without the ASP.NET Core runtime the 2022 Web API needs.
        var web = WindowsServer("orch-web01", WindowsBuild.Server2022, HostRole.WebService, HostRole.WebConsole);

        return [management, runbook, web];
    }

    private static SandboxHost Orchestrator2022(string name, string component, params HostRole[] roles)
    {
        var host = WindowsServer(name, WindowsBuild.Server2022, roles)
            .WithOrchestrator64($"System Center Orchestrator 2022 {component}", Orchestrator2022Ur3, InstallFolder2022);
        // Every runbook server has the packs its runbooks use deployed: the gap is what they are built for.
        return roles.Contains(HostRole.RunbookServer)
            ? host.WithIntegrationPacks64(
                (SandboxOrchestratorProfiles.ActiveDirectoryPack, "Active Directory"),
                (SandboxOrchestratorProfiles.OperationsManagerPack, "System Center Operations Manager"),
                (SandboxOrchestratorProfiles.ExchangeAdminPack, "Exchange Admin"))
            : host;
    }

    // Orchestrator 2022 UR3 ready for 2025: OLE DB Driver 19 and a current VC++ runtime everywhere, TrustServerCertificate
    // on for the sandbox's self-signed certificate, the Web API host with IIS and ASP.NET Core 8.
    private static SandboxHost[] Ready2025Hosts() =>
    [
        WindowsServer("orch-ms01", WindowsBuild.Server2022, HostRole.ManagementServer, HostRole.RunbookServer)
            .WithOrchestrator64("System Center Orchestrator 2022 Management Server", Orchestrator2022Ur3, InstallFolder2022)
            .WithOleDbDriver("19.3.5.0").WithVcRedist(40, 33810).WithTrustServerCertificate(),
        WindowsServer("orch-rb02", WindowsBuild.Server2022, HostRole.RunbookServer)
            .WithOrchestrator64("System Center Orchestrator 2022 Runbook Server", Orchestrator2022Ur3, InstallFolder2022)
            .WithOleDbDriver("19.3.5.0").WithVcRedist(40, 33810).WithTrustServerCertificate(),
        WindowsServer("orch-rb03", WindowsBuild.Server2022, HostRole.RunbookServer)
            .WithOrchestrator64("System Center Orchestrator 2022 Runbook Server", Orchestrator2022Ur3, InstallFolder2022)
            .WithOleDbDriver("19.3.5.0").WithVcRedist(40, 33810).WithTrustServerCertificate(),
        WindowsServer("orch-web01", WindowsBuild.Server2022, HostRole.WebService, HostRole.WebConsole)
            .WithOrchestrator64("System Center Orchestrator 2022 Web API", Orchestrator2022Ur3, InstallFolder2022)
            .WithOleDbDriver("19.3.5.0").WithVcRedist(40, 33810).WithTrustServerCertificate()
            .WithIis()
            .WithAspNetCore("8.0.11"),
    ];

    private static SandboxHost[] Upgrade2025GapsHosts()
    {
        SandboxHost[] hosts =
        [
            // TrustServerCertificate on: OLE DB Driver 19 will connect to the sandbox's self-signed certificate here (a warning).
            // An agent's uninstall left a delete of a file that is already gone: stale, a warning, not a restart.
            Orchestrator2022("orch-ms01", "Management Server", HostRole.ManagementServer, HostRole.RunbookServer)
                .WithOleDbDriver("19.3.5.0")
                .WithVcRedist(40, 33810)
                .WithTrustServerCertificate()
                .WithStaleFileRename(@"C:\Program Files\Contoso Agent\agent.dll.old"),
            // Only the driver 2022 needed: 2025 connects through OLE DB Driver 19.
            Orchestrator2022("orch-rb02", "Runbook Server", HostRole.RunbookServer)
                .WithOleDbDriver("18.7.4.0")
                .WithVcRedist(40, 33810),
            // A Visual C++ runtime older than the 14.34 that 2025's Setup needs; the upgrade account (the service
            // account) is only in OrchestratorSystemGroup here, not a local Administrator.
            Orchestrator2022("orch-rb03", "Runbook Server", HostRole.RunbookServer)
                .WithOleDbDriver("19.3.5.0")
                .WithVcRedist(30, 30704)
                .WithUpgradeAccountNotAdmin(),
            // A DSC configuration waits for a restart to finish.
            Orchestrator2022("orch-web01", "Web API", HostRole.WebService, HostRole.WebConsole)
                .WithOleDbDriver("19.3.5.0")
                .WithVcRedist(40, 33810)
                .WithIis()
                .WithAspNetCore("8.0.11")
                .WithDsc("PendingReboot"),
        ];

        // The services' logon account (a domain account) has an expired password: every host's export shows it.
        return [.. hosts.Select(h => h.WithServiceAccountPasswordExpired())];
    }
}
