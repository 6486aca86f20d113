using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>
/// prepare --close-programs: closes the Orchestrator desktop programs (Runbook Designer, Runbook Tester, Deployment
/// Manager) on every host — only those, never anyone's other programs — asking each to close first and ending it only
/// after a grace period. Every program is an action naming the user, so nobody's lost work goes unexplained.
/// Without the switch prepare ends nothing: programs.orchestrator-programs names who to ask.
/// </summary>
public sealed class OrchestratorProgramCloser(IHostFactsSource hostFacts, IProgramControlSource programs)
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <param name="progress">Told before each program is asked to close, which can take up to <see cref="Grace"/>.</param>
    /// <returns>On Ctrl+C, a result with <see cref="ProgramCloseResult.Cancelled"/> that still names every program closed
    /// before it; the one being closed is a <c>cancelled</c> action, never <c>closed</c>, since nobody saw it close.</returns>
    public async Task<ProgramCloseResult> RunAsync(EnvironmentConfig environment, CancellationToken cancellationToken, IProgress<ProgramClosing>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var actions = new List<ActionRecord>();
        foreach (var host in environment.Hosts)
        {
            var target = host.Name;
            string? who = null;
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
                    target = $"{host.Name}: {program.Process.Name} (PID {program.Process.ProcessId}, {program.Who}, session {program.SessionId})";
                    who = program.Who;
                    progress?.Report(new ProgramClosing(host.Name, program.Process.Name, program.Process.ProcessId, program.Who, program.SessionId));
                    var outcome = await control.CloseAsync(program.Process, Grace, cancellationToken).ConfigureAwait(false);
                    actions.Add(new ActionRecord(ActionKind.CloseProgram, target, ActionOutcomeOf(outcome), outcome switch
                    {
                        ProgramCloseOutcome.Closed => "asked to close (--close-programs) and it closed; unsaved work was the program's to prompt for",
                        ProgramCloseOutcome.Ended => $"asked to close (--close-programs), still running after {Duration.Format(Grace)}, ended: unsaved work in it is lost — tell {program.Who}",
                        _ => "had already exited",
                    }));
                }
            }
            catch (HostFactsException ex)
            {
                actions.Add(new ActionRecord(ActionKind.CloseProgram, host.Name, ActionOutcome.Failed, $"{ex.Message}; ask the users named by programs.orchestrator-programs to close them"));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                actions.Add(new ActionRecord(ActionKind.CloseProgram, target, ActionOutcome.Cancelled, who is null
                    ? "the run was cancelled while reading this host's programs; none was closed here"
                    : $"the run was cancelled while it was asked to close: not seen to close, so it may still be open — programs.orchestrator-programs on the next check tells; ask {who}"));
                return new ProgramCloseResult(actions, Cancelled: true);
            }
        }

        return new ProgramCloseResult(actions, Cancelled: false);
    }

    private static ActionOutcome ActionOutcomeOf(ProgramCloseOutcome outcome) => outcome switch
    {
        ProgramCloseOutcome.Closed => ActionOutcome.Closed,
        ProgramCloseOutcome.Ended => ActionOutcome.Ended,
        _ => ActionOutcome.AlreadyGone,
    };
}

/// <summary>An Orchestrator program about to be asked to close (close programs tells its progress before each).</summary>
public sealed record ProgramClosing(string Host, string Name, int ProcessId, string Who, int SessionId);

/// <summary>What close programs did: one action per program (and per host it could not reach), and whether Ctrl+C cut it short.</summary>
public sealed record ProgramCloseResult(IReadOnlyList<ActionRecord> Actions, bool Cancelled);
