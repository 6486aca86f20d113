using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>Runbook Designer, Runbook Tester or Deployment Manager open on a host hold Orchestrator files and database
/// connections that Setup replaces (docs/facts/host-facts.md#programs). The web consoles run in a browser and are not processes here.</summary>
public sealed class OrchestratorProgramsCheck : ICheck
{
    public const string CheckId = "programs.orchestrator-programs";

    public string Id => CheckId;
    public string Title => "No Orchestrator desktop program is open";
    public Prerequisite Prerequisite => Prerequisite.Programs;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var processes = await HostProcesses.ReadAsync(context.Facts, cancellationToken).ConfigureAwait(false);
        var open = processes.Find(ProgramImages.OrchestratorDesktop);
        if (open.Count == 0)
        {
            return CheckOutcome.Met(
                $"None of {processes.Count} processes is Runbook Designer, Runbook Tester or Deployment Manager. The web consoles run in a browser and cannot be seen here.",
                processes.NoneOf(ProgramImages.OrchestratorDesktop));
        }

        return CheckOutcome.Unmet(
            $"{Count(open.Count, "Orchestrator program")} open: {string.Join("; ", open.Select(p => $"{p.Image.Program} in session {p.SessionId} ({p.Who})"))}.",
            AskToClose(open),
            [.. open.Select(processes.EvidenceFor)]);
    }

    /// <summary>One request per process ("Runbook Designer (PID 4321): ask CONTOSO\jdoe to close it (session 2)"), then how to end a session nobody comes back to.</summary>
    internal static string AskToClose(IEnumerable<RunningProgram> programs) =>
        string.Join(" ", programs.Select(p => $"{p.Image.Program} (PID {p.Process.ProcessId}): ask {p.Who} to close it (session {p.SessionId}).")) +
        " A disconnected session whose user cannot be reached can be signed off with `logoff <session> /server:<host>` (unsaved work is lost). Then run the check again.";

    internal static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
