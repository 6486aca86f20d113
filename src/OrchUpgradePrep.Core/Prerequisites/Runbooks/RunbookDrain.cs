using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// prepare's first step: wait until no runbook job runs or is queued, polling at the policy's interval on the
/// TimeProvider (tests never sleep), reporting what still runs after each poll. Monitors never end, so by policy they
/// are stopped at once and recorded for resume, or left (the monitors check then stays unmet). Orphaned instances never
/// end either: they are not waited for (the block step clears them). When the timeout passes, <c>stop</c> stops what
/// still runs; <c>wait</c> gives up and names it.
/// </summary>
public sealed class RunbookDrain(RunbookInventory inventory, TimeProvider time, DrainPolicy policy)
{
    /// <summary>How long stopped jobs get to leave Running/Pending before the drain calls the stop failed: a runbook
    /// server ends the instance's process after the status changes, which can take a moment.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <param name="monitorStopped">Called as each monitor is stopped, so the caller records it for resume at once (a Ctrl+C later must not lose it).</param>
    public async Task<DrainResult> RunAsync(IProgress<DrainStatus>? progress, Action<OrchestratorJob>? monitorStopped, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var actions = new List<ActionRecord>();
        var stoppedMonitors = new List<OrchestratorJob>();
        var stopper = new RunbookJobStopper(inventory);
        var stopRequested = new HashSet<Guid>();
        var polls = 0;
        TimeSpan? stopDeadline = null;
        var stoppedLastPoll = false;
        while (true)
        {
            var snapshot = await inventory.ReadAsync(cancellationToken).ConfigureAwait(false);
            polls++;
            var elapsed = time.GetElapsedTime(started);
            if (snapshot.IsUnknown)
            {
                return new DrainResult(DrainEnd.SourcesUnavailable, snapshot, [], actions, stoppedMonitors, elapsed, polls);
            }

            if (policy.Monitors == MonitorPolicy.Stop)
            {
                foreach (var monitor in snapshot.Running.Where(j => j.IsMonitor && !j.IsOrphaned && stopRequested.Add(j.Id)))
                {
                    var action = await stopper.StopAsync(monitor, "monitor runbook (policy monitors: stop); resume starts it again", cancellationToken).ConfigureAwait(false);
                    actions.Add(action);
                    if (action.Outcome != ActionOutcome.Failed)
                    {
                        stoppedMonitors.Add(monitor);
                        monitorStopped?.Invoke(monitor);
                    }
                }
            }

            var waitingFor = snapshot.Jobs.Where(j => j.IsActive && !j.IsMonitor && !j.IsOrphaned).ToList();
            progress?.Report(new DrainStatus(elapsed, policy.Timeout, waitingFor, snapshot));
            if (waitingFor.Count == 0)
            {
                return new DrainResult(DrainEnd.Drained, snapshot, [], actions, stoppedMonitors, elapsed, polls);
            }

            if (elapsed >= policy.Timeout)
            {
                if (policy.Mode == DrainMode.Wait)
                {
                    return new DrainResult(DrainEnd.TimedOut, snapshot, waitingFor, actions, stoppedMonitors, elapsed, polls);
                }

                // One grace window from the first stop round: jobs that ignore the stop, or new ones that keep
                // appearing (a schedule, a parent runbook), end the drain as a failed stop instead of a loop.
                stopDeadline ??= elapsed + StopGrace;
                if (elapsed >= stopDeadline.Value)
                {
                    return new DrainResult(DrainEnd.StopFailed, snapshot, waitingFor, actions, stoppedMonitors, elapsed, polls);
                }

                var fresh = waitingFor.Where(j => !stopRequested.Contains(j.Id)).ToList();
                if (fresh.Count > 0 && !stoppedLastPoll)
                {
                    foreach (var job in fresh)
                    {
                        stopRequested.Add(job.Id);
                        actions.Add(await stopper.StopAsync(job, $"still {job.Status.ToLowerInvariant()} after the drain timeout ({Duration.Format(policy.Timeout)}, --drain stop)", cancellationToken).ConfigureAwait(false));
                    }

                    // Re-read at once: the next poll confirms the stops (or shows what is still active).
                    stoppedLastPoll = true;
                    continue;
                }

                stoppedLastPoll = false;
            }

            var untilTimeout = policy.Timeout - elapsed;
            var wait = untilTimeout > TimeSpan.Zero && untilTimeout < policy.PollInterval ? untilTimeout : policy.PollInterval;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}

public enum DrainEnd
{
    /// <summary>Nothing but monitors (by policy) and orphans is active.</summary>
    Drained,

    /// <summary>--drain wait: the timeout passed with jobs still active.</summary>
    TimedOut,

    /// <summary>--drain stop: jobs stayed active after they were asked to stop.</summary>
    StopFailed,

    /// <summary>Neither the web service nor the database could be read.</summary>
    SourcesUnavailable,
}

/// <summary>After one poll: how long the drain has run, what it still waits for.</summary>
public sealed record DrainStatus(TimeSpan Elapsed, TimeSpan Timeout, IReadOnlyList<OrchestratorJob> WaitingFor, RunbookSnapshot Snapshot);

/// <summary>How the drain ended, what it stopped, and the last snapshot it read.</summary>
public sealed record DrainResult(
    DrainEnd End,
    RunbookSnapshot LastSnapshot,
    IReadOnlyList<OrchestratorJob> StillActive,
    IReadOnlyList<ActionRecord> Actions,
    IReadOnlyList<OrchestratorJob> StoppedMonitors,
    TimeSpan Elapsed,
    int Polls)
{
    public CheckOutcome ToOutcome()
    {
        var stopped = Actions.Count(a => a.Outcome == ActionOutcome.Stopped);
        var sources = new Evidence("sources", LastSnapshot.SourcesText);
        var took = $"{Duration.Format(TimeSpan.FromSeconds(Math.Round(Elapsed.TotalSeconds)))}, {Polls} poll(s)";
        return End switch
        {
            DrainEnd.Drained => CheckOutcome.Met(
                $"No runbook job left running after {took}{(stopped > 0 ? $"; {stopped} job(s) stopped" : string.Empty)}.",
                [.. Actions.Select(a => a.ToEvidence()), sources]),
            DrainEnd.TimedOut => CheckOutcome.Unmet(
                $"The drain timed out after {took} with {StillActive.Count} job(s) still active: {string.Join(", ", StillActive.Select(j => $"{j.RunbookPath ?? j.RunbookName} (job {j.Id})"))}.",
                "Wait for them and run prepare again, raise policies.drain.timeout / --drain-timeout, or stop them with `--drain stop`.",
                [.. StillActive.Select(JobDescriptions.Evidence), sources]),
            DrainEnd.StopFailed => CheckOutcome.Unmet(
                $"{StillActive.Count} job(s) stayed active after a stop request: {string.Join(", ", StillActive.Select(j => $"{j.RunbookPath ?? j.RunbookName} (job {j.Id})"))}.",
                "Stop them in the Runbook Designer or console and look at the runbook server's event log; a job that restarts itself is started by another runbook or a schedule.",
                [.. StillActive.Select(JobDescriptions.Evidence), .. Actions.Select(a => a.ToEvidence()), sources]),
            _ => CheckOutcome.Error(
                "Neither the web service nor the database could be read, so running runbooks cannot be drained.",
                [.. LastSnapshot.Sources.Select(s => new Evidence(s.Name, $"{s.Description}: {s.Error}"))]),
        };
    }
}
