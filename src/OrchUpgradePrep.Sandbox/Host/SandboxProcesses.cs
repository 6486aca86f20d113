using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>What Win32_Process and WTS show on a quiet Windows Server with Orchestrator 2019 on it: nobody signed in,
/// no installer running. userName is null, as the live adapter and the export script give it.</summary>
internal static class SandboxProcesses
{
    private const string System32 = @"C:\Windows\System32\";
    private const string Orchestrator2019 = Scenarios.SandboxHosts.InstallFolder2019;

    /// <summary>Session 0 (services, no user), the console at the logon screen (no user), the RDP listener.</summary>
    public static IReadOnlyList<SessionInfo> IdleSessions { get; } =
    [
        new(0, null, "Disconnected", null),
        new(1, null, "Connected", null),
        new(65536, null, "Listen", null),
    ];

    public static IReadOnlyList<ProcessInfo> For(IEnumerable<HostRole> roles)
    {
        var set = roles.ToHashSet();
        List<ProcessInfo> processes =
        [
            new(0, "System Idle Process", null, null, 0),
            new(4, "System", null, null, 0),
            Windows(388, "smss.exe", 0),
            Windows(512, "csrss.exe", 0),
            Windows(596, "wininit.exe", 0),
            Windows(604, "csrss.exe", 1),
            Windows(668, "winlogon.exe", 1),
            Windows(712, "services.exe", 0),
            Windows(728, "lsass.exe", 0),
            Windows(856, "svchost.exe", 0),
            Windows(904, "svchost.exe", 0),
            Windows(1012, "LogonUI.exe", 1),
            Windows(1020, "dwm.exe", 1),
            Windows(1164, "svchost.exe", 0),
            Windows(1788, "spoolsv.exe", 0),
        ];
        if (set.Contains(HostRole.ManagementServer))
        {
            processes.Add(new(2210, "ManagementService.exe", Orchestrator2019 + @"Management Server\ManagementService.exe", null, 0));
            processes.Add(new(2236, "RunbookServerMonitorService.exe", Orchestrator2019 + @"Management Server\RunbookServerMonitorService.exe", null, 0));
            processes.Add(new(2262, "OrchestratorRemotingService.exe", Orchestrator2019 + @"Management Server\OrchestratorRemotingService.exe", null, 0));
        }

        if (set.Contains(HostRole.RunbookServer))
        {
            processes.Add(new(2304, "RunbookService.exe", Orchestrator2019 + @"Runbook Server\RunbookService.exe", null, 0));
        }

        if (set.Contains(HostRole.WebService) || set.Contains(HostRole.WebConsole))
        {
            processes.Add(new(3120, "w3wp.exe", @"C:\Windows\System32\inetsrv\w3wp.exe", null, 0));
        }

        return processes;
    }

    private static ProcessInfo Windows(int processId, string name, int sessionId) => new(processId, name, System32 + name, null, sessionId);

    /// <summary>Someone signed in: <paramref name="state"/> is a WTS state name (Active, Disconnected, …).</summary>
    public static SandboxHost SignedIn(this SandboxHost host, int sessionId, string userName, string state, string? clientName)
    {
        host.Facts = host.Facts with { Sessions = [.. host.Facts.Sessions, new SessionInfo(sessionId, userName, state, clientName)] };
        return host;
    }

    /// <summary>A program running in a session.</summary>
    public static SandboxHost Running(this SandboxHost host, int processId, string executablePath, int sessionId)
    {
        var process = new ProcessInfo(processId, executablePath[(executablePath.LastIndexOf('\\') + 1)..], executablePath, null, sessionId);
        host.Facts = host.Facts with { Processes = [.. host.Facts.Processes, process] };
        return host;
    }
}
