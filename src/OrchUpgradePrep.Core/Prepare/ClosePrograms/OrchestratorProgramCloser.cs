using OrchUpgradePrep.Checks.Programs;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prepare.ClosePrograms;

/// <summary>
/// prepare --close-programs: closes the Orchestrator desktop programs (Runbook Designer, Runbook Tester, Deployment
/// Manager) on every host — only those, never anyone's other programs — asking each to close first and ending it only
/// after a grace period. Every program is an action naming the user, so nobody's lost work goes unexplained.
/// Without the switch prepare ends nothing: programs.orchestrator-programs names who to ask.
/// </summary>
public sealed class OrchestratorProgramCloser(IHostFactsSource hostFacts, IProgramControlSource programs)
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<ActionRecord>> RunAsync(EnvironmentConfig environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var actions = new List<ActionRecord>();
        foreach (var host in environment.Hosts)
        {
            try
            {
                var open = (await HostProcesses.ReadAsync(hostFacts.For(host), cancellationToken).ConfigureAwait(false)).Find(ProgramImages.OrchestratorDesktop);
                if (open.Count == 0)
                {
                    continue;
                }

                var control = programs.For(host);
                foreach (var program in open)
                {
                    var target = $"{host.Name}: {program.Process.Name} (PID {program.Process.ProcessId}, {program.Who}, session {program.SessionId})";
                    var outcome = await control.CloseAsync(program.Process, Grace, cancellationToken).ConfigureAwait(false);
                    actions.Add(new ActionRecord("close-program", target, WireNames.Of(outcome), outcome switch
                    {
                        ProgramCloseOutcome.Closed => "asked to close (--close-programs) and it closed; unsaved work was the program's to prompt for",
                        ProgramCloseOutcome.Ended => $"asked to close (--close-programs), still running after {Duration.Format(Grace)}, ended: unsaved work in it is lost — tell {program.Who}",
                        _ => "had already exited",
                    }));
                }
            }
            catch (HostFactsException ex)
            {
                actions.Add(new ActionRecord("close-program", host.Name, "failed", $"{ex.Message}; ask the users named by programs.orchestrator-programs to close them"));
            }
        }

        return actions;
    }
}
