using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prepare.State;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// resume: starts the services prepare stopped (Runbook Service first, so a restarted monitor has a server to run on),
/// then starts a new job of each monitor runbook prepare stopped. Idempotent: what already runs is left alone and
/// dropped from the state; what cannot be undone stays in the state for the next resume.
/// </summary>
public sealed class RunbookResume(IServiceControlSource services, IOrchestratorApi? web, TimeProvider time)
{
    public async Task<ResumeResult> RunAsync(EnvironmentConfig environment, PrepareState state, Action<PrepareState> save, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(save);
        var actions = new List<ActionRecord>();
        foreach (var stopped in state.StoppedServices.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = $"{stopped.Host}: {stopped.Name}";
            var host = environment.Hosts.FirstOrDefault(h => string.Equals(h.Name, stopped.Host, StringComparison.OrdinalIgnoreCase));
            if (host is null)
            {
                actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.Failed, $"host {stopped.Host} is not in environment '{environment.Name}' any more; start {stopped.DisplayName} there by hand"));
                continue;
            }

            try
            {
                var control = services.For(host);
                var current = (await control.ListAsync(cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(s => string.Equals(s.Name, stopped.Name, StringComparison.OrdinalIgnoreCase));
                if (current is null)
                {
                    actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.Failed, $"{stopped.DisplayName} is no longer installed (the upgrade may have renamed it); start its new service by hand"));
                    continue;
                }

                if (string.Equals(current.State, "StopPending", StringComparison.OrdinalIgnoreCase))
                {
                    // Still stopping (the documented 2022 hang, docs/facts/orchestrator-versions.md#services-that-do-not-stop): a start
                    // request is refused until it has stopped, so say what to do and keep it for the next resume.
                    var pid = (await control.QueryAsync(stopped.Name, cancellationToken).ConfigureAwait(false))?.ProcessId ?? current.ProcessId;
                    actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.Failed,
                        $"{stopped.DisplayName} has not finished stopping (StopPending{(pid is > 0 ? $", process ID {pid}" : string.Empty)}), so it cannot be started yet. " +
                        $"{ServiceStopper.Workaround(stopped.Host, stopped.Name, pid)} It stays in the state for the next resume."));
                    continue;
                }

                if (string.Equals(current.State, "Running", StringComparison.OrdinalIgnoreCase))
                {
                    actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.AlreadyRunning, $"{stopped.DisplayName} already runs (started by setup or by hand)"));
                }
                else
                {
                    await control.StartAsync(stopped.Name, RunbookServiceBlock.ServiceTimeout, cancellationToken).ConfigureAwait(false);
                    actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.Started, $"{stopped.DisplayName} started (prepare stopped it at {stopped.StoppedAt:u})"));
                }

                state = state with { StoppedServices = [.. state.StoppedServices.Where(s => !s.SameAs(stopped))], UpdatedAt = time.GetUtcNow() };
                save(state);
            }
            catch (Exception ex) when (ex is HostFactsException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException or IOException)
            {
                actions.Add(new ActionRecord(ActionKind.StartService, target, ActionOutcome.Failed, ServiceControlErrors.Describe(ex)));
            }
        }

        if (state.StoppedMonitors.Count > 0)
        {
            state = await StartMonitorsAsync(state, save, actions, cancellationToken).ConfigureAwait(false);
        }

        return new ResumeResult(state, actions);
    }

    private async Task<PrepareState> StartMonitorsAsync(PrepareState state, Action<PrepareState> save, List<ActionRecord> actions, CancellationToken cancellationToken)
    {
        if (web is null)
        {
            foreach (var monitor in state.StoppedMonitors)
            {
                actions.Add(new ActionRecord(ActionKind.StartMonitor, monitor.Runbook, ActionOutcome.Failed,
                    "no webService: is configured, and starting a job through the database is not documented; start the runbook in the Runbook Designer or console, then delete its entry from prepare-state.json"));
            }

            return state;
        }

        try
        {
            var active = await web.ListActiveJobsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var monitor in state.StoppedMonitors.ToList())
            {
                if (active.FirstOrDefault(j => j.RunbookId == monitor.RunbookId) is { } running)
                {
                    actions.Add(new ActionRecord(ActionKind.StartMonitor, monitor.Runbook, ActionOutcome.AlreadyRunning, $"job {running.Id} of it is {running.Status.ToLowerInvariant()} already"));
                }
                else
                {
                    var job = await web.StartJobAsync(monitor.RunbookId, cancellationToken).ConfigureAwait(false);
                    actions.Add(new ActionRecord(ActionKind.StartMonitor, monitor.Runbook, ActionOutcome.Started, $"new job {job.Id} ({job.Status}); prepare stopped job {monitor.JobId}"));
                }

                state = state with { StoppedMonitors = [.. state.StoppedMonitors.Where(m => m.RunbookId != monitor.RunbookId)], UpdatedAt = time.GetUtcNow() };
                save(state);
            }
        }
        catch (OrchestratorApiException ex)
        {
            foreach (var monitor in state.StoppedMonitors)
            {
                actions.Add(new ActionRecord(ActionKind.StartMonitor, monitor.Runbook, ActionOutcome.Failed, $"web service: {ex.Message}; run resume again, or start it in the Runbook Designer"));
            }
        }

        return state;
    }
}

public sealed record ResumeResult(PrepareState State, IReadOnlyList<ActionRecord> Actions)
{
    public CheckOutcome ToOutcome(string stateFile)
    {
        var evidence = Actions.Select(a => a.ToEvidence()).Append(new Evidence("state", stateFile)).ToArray();
        return State.IsEmpty
            ? CheckOutcome.Met($"Everything prepare stopped runs again ({Actions.Count} action(s)).", evidence)
            : CheckOutcome.Unmet(
                $"{State.StoppedServices.Count + State.StoppedMonitors.Count} thing(s) prepare stopped could not be started again; they stay in {stateFile}.",
                "Fix the cause in the actions below and run `orchprep resume` again; it only starts what is still listed.",
                evidence);
    }
}
