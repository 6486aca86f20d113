using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>Windows Installer runs one install at a time: another install in progress makes Orchestrator Setup fail
/// with 1618 (docs/facts/host-facts.md#installer). ProcessInfo carries no command line, so the service (<c>msiexec.exe /V</c>,
/// session 0) cannot be told from an install by SYSTEM: <c>msiexec.exe</c> in a user session is an install in
/// progress (unmet), in session 0 only a warning. A running <c>SetupOrchestrator.exe</c> is unmet.</summary>
public sealed class InstallerRunningCheck : ICheck
{
    public const string ServiceWarning = "the Windows Installer service is running; an install may be in progress (the _MSIExecute mutex cannot be read remotely)";

    public string Id => "programs.installer-running";
    public string Title => "No installer is running";
    public Prerequisite Prerequisite => Prerequisite.Programs;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var processes = await HostProcesses.ReadAsync(context.Facts, cancellationToken).ConfigureAwait(false);
        var found = processes.Find(ProgramImages.Installers);
        if (found.Count == 0)
        {
            return CheckOutcome.Met(
                $"Neither Orchestrator Setup nor Windows Installer is running ({processes.Count} processes read).",
                processes.NoneOf(ProgramImages.Installers));
        }

        var evidence = found.Select(processes.EvidenceFor).ToArray();
        var installing = found.Where(p => p.Image == ProgramImages.OrchestratorSetup || p.SessionId > 0).ToArray();
        if (installing.Length > 0)
        {
            var what = string.Join("; ", installing.Select(p => $"{p.Image.Program} ({p.Process.Name}, PID {p.Process.ProcessId}) in session {p.SessionId} ({p.Who})"));
            return CheckOutcome.Unmet(
                $"An installation is in progress: {what}. Windows Installer runs one install at a time; Setup started now fails with 1618.",
                string.Join(" ", installing.Select(p => $"{p.Image.Program} (PID {p.Process.ProcessId}): ask {p.Who} to let it finish or cancel it (session {p.SessionId}).")) +
                " Then run the check again.",
                evidence);
        }

        return CheckOutcome.Warning(
            $"msiexec.exe runs in session 0 only: {ServiceWarning}.",
            "Run the check again in a few minutes. On the host, `Get-CimInstance Win32_Process -Filter \"Name='msiexec.exe'\" | Select ProcessId, SessionId, CommandLine` " +
            "shows whether it is only the service (`msiexec.exe /V`) or an install (`msiexec.exe /i …`, or a software-distribution agent's install).",
            evidence);
    }
}
