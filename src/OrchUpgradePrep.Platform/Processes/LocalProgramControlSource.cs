using System.Diagnostics;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Processes;

/// <summary>
/// Ends programs on the machine orchprep runs on: a close request to the main window first, the process ended only
/// after the grace period. Other hosts are refused: over WinRM a program can only be terminated, not asked to close,
/// and ending someone's Runbook Designer without asking is not something a pre-upgrade gate should do remotely.
/// </summary>
public sealed class LocalProgramControlSource(LocalMachine localMachine, TimeProvider time) : IProgramControlSource
{
    public IProgramControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Snapshot is not null)
        {
            throw new HostFactsException($"{host.Name} is checked from a snapshot; programs there cannot be closed from here");
        }

        var local = localMachine.Is(host.Name);
        if (local && localMachine.IsContainer)
        {
            throw new HostFactsException(localMachine.ContainerRefusal(host.Name, "its programs are not the host's, so none was closed"));
        }

        if (!local || !OperatingSystem.IsWindows())
        {
            throw new HostFactsException($"{host.Name}: --close-programs only closes programs on the machine orchprep runs on ({localMachine.Name}), where it can ask them to close first");
        }

        return new LocalProgramControl(time);
    }

    private sealed class LocalProgramControl(TimeProvider time) : IProgramControl
    {
        public async Task<ProgramCloseOutcome> CloseAsync(ProcessInfo process, TimeSpan grace, CancellationToken cancellationToken)
        {
            Process running;
            try
            {
                running = Process.GetProcessById(process.ProcessId);
            }
            catch (ArgumentException)
            {
                return ProgramCloseOutcome.AlreadyGone;
            }

            using (running)
            {
                // A reused PID would point at another program: only the image we found may be closed.
                if (!string.Equals(running.ProcessName + ".exe", process.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return ProgramCloseOutcome.AlreadyGone;
                }

                running.CloseMainWindow();
                try
                {
                    await running.WaitForExitAsync(cancellationToken).WaitAsync(grace, time, cancellationToken).ConfigureAwait(false);
                    return ProgramCloseOutcome.Closed;
                }
                catch (TimeoutException)
                {
                    running.Kill(entireProcessTree: false);
                    await running.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    return ProgramCloseOutcome.Ended;
                }
            }
        }
    }
}
