using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Checks.Restart;

/// <summary>
/// Windows Installer is busy: Setup would fail with 1618. The exact signal, the <c>Global\_MSIExecute</c> mutex,
/// is not in the registry and not in a snapshot; the process list is the nearest fact orchprep has. It holds no
/// command lines, so a running <c>msiexec.exe</c> (also the idle Windows Installer service, <c>msiexec /V</c>)
/// is a warning, not a verdict. Not a restart signal: reported beside them (facts §5).
/// </summary>
public sealed class InstallerRunningCheck() : RestartCheck("restart.installer-running", "Windows Installer is not running an installation", blocking: false)
{
    protected override string HowToSee =>
        "`Get-CimInstance Win32_Process -Filter \"Name='msiexec.exe'\" | Select-Object ProcessId, CommandLine` " +
        "(`/V` alone is the Windows Installer service; `/i`, `/x`, `/p` or `/update` is an installation), and the Application event log (MsiInstaller).";

    // A running installation needs no restart: it needs to finish.
    protected override string Remediation => $"Let the installation finish before Orchestrator Setup starts, then run `orchprep check --only restart` again. To see what runs: {HowToSee}";

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var processes = await context.Facts.GetProcessesAsync(cancellationToken).ConfigureAwait(false);
        var msiexec = processes
            .Where(p => string.Equals(p.Name, "msiexec.exe", StringComparison.OrdinalIgnoreCase) || string.Equals(p.Name, "msiexec", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var source = $"processes ({context.Facts.SourceDescription})";
        if (msiexec.Count == 0)
        {
            return CheckOutcome.Met($"No msiexec.exe runs ({processes.Count} processes listed).", new Evidence(source, "no msiexec.exe"));
        }

        return Warning(
            $"{msiexec.Count} msiexec.exe process(es) run: an installation may be in progress (Setup would fail with 1618). Command lines are not read, so the idle Windows Installer service (msiexec /V) looks the same.",
            msiexec.Select(p => new Evidence(source, $"msiexec.exe PID {p.ProcessId}{(p.UserName is null ? string.Empty : $", user {p.UserName}")}, session {p.SessionId}")));
    }
}
