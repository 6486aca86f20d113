using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare;
using OrchUpgradePrep.Prepare.State;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Keeps new jobs from starting during the upgrade window: stops the Orchestrator Runbook Service on every runbook
/// server (after the drain, so no running instance is cut off and orphaned), recording each service it stopped in the
/// state so resume starts exactly those. Orchestrator has no documented "pause" switch (docs/facts/orchestrator-versions.md#database); the service is the
/// one lever that resume can undo (docs/adr/0006).
/// </summary>
/// A stop that does not end within policies.services.stopTimeout is reported with the service's state and process ID and
/// Microsoft's workaround, and only prepare --force-stop ends that process (<see cref="ServiceStopper"/>, docs/adr/0023-services-that-do-not-stop.md).
/// Then, once every Runbook Service is stopped, the services of <paramref name="plan"/> (omonitor and oremoting on a
/// management server with 2022 or later, docs/adr/0024-stop-omonitor-oremoting-on-2022.md) go through the same stopper and the same record.
public sealed class RunbookServiceBlock(IServiceControlSource services, TimeProvider time, ServiceStopOptions? stopOptions = null, ServiceStopPlan? plan = null)
{
    private readonly ServiceStopOptions _stopOptions = stopOptions ?? new ServiceStopOptions();
    private readonly ServiceStopper _stopper = new(time, stopOptions ?? new ServiceStopOptions());
    private readonly ServiceStopPlan _plan = plan ?? ServiceStopPlan.RunbookServiceOnly;

    /// <summary>The Runbook Service: short name, display name and binary (docs/facts/orchestrator-versions.md#services), matched in that order.</summary>
    public static readonly RunbookServiceIdentity RunbookService = new("orunbook", "Orchestrator Runbook Service", "RunbookService.exe");

    /// <summary>How long resume waits for a service to start.</summary>
    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromMinutes(2);

    /// <param name="progress">Told before each service stop, which can take up to policies.services.stopTimeout (and, with --force-stop, the process end after it).</param>
    public async Task<BlockResult> RunAsync(EnvironmentConfig environment, PrepareState state, Action<PrepareState> save, CancellationToken cancellationToken,
        IProgress<ServiceStopping>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var run = new Run();
        foreach (var host in environment.Hosts.Where(h => h.Roles.Contains(HostRole.RunbookServer)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var control = services.For(host);
                var installed = await control.ListAsync(cancellationToken).ConfigureAwait(false);
                var service = RunbookService.Find(installed);
                if (service is null)
                {
                    run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, $"no {RunbookService.DisplayName} ({RunbookService.Name}) is installed on this runbook server"));
                    run.FailedHosts.Add(host.Name);
                    continue;
                }

                state = await StopOneAsync(control, host.Name, service, state, save, run, blocksStarts: true, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsHostFailure(ex))
            {
                run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, ServiceControlErrors.Describe(ex)));
                run.FailedHosts.Add(host.Name);
            }
        }

        state = await StopPlannedAsync(environment, state, save, run, progress, cancellationToken).ConfigureAwait(false);
        return new BlockResult(state, run.Actions, run.BlockedHosts, run.FailedHosts)
        {
            NotStopped = run.NotStopped,
            FailedServices = run.FailedServices,
            StoppedServices = run.StoppedServices,
            Notes = [.. _plan.Reasons, .. run.Notes],
        };
    }

    /// <summary>The plan's management services, host by host, once every Runbook Service is stopped. When a Runbook
    /// Service could not be stopped the step is unmet anyway: no more production changes are made for it.</summary>
    private async Task<PrepareState> StopPlannedAsync(EnvironmentConfig environment, PrepareState state, Action<PrepareState> save, Run run,
        IProgress<ServiceStopping>? progress, CancellationToken cancellationToken)
    {
        if (_plan.Stops.Count == 0)
        {
            return state;
        }

        if (run.FailedHosts.Count > 0)
        {
            foreach (var stop in _plan.Stops)
            {
                run.Notes.Add(new Evidence($"{stop.Host}: {stop.Service.Name}",
                    $"not stopped: new starts could not be blocked on {string.Join(", ", run.FailedHosts)}, so prepare makes no further service change this run"));
            }

            return state;
        }

        foreach (var group in _plan.Stops.GroupBy(s => s.Host, StringComparer.OrdinalIgnoreCase))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var host = environment.Hosts.FirstOrDefault(h => string.Equals(h.Name, group.Key, StringComparison.OrdinalIgnoreCase));
            if (host is null)
            {
                foreach (var stop in group)
                {
                    run.Notes.Add(new Evidence($"{stop.Host}: {stop.Service.Name}", $"not stopped: {stop.Host} is not a host of environment '{environment.Name}'"));
                }

                continue;
            }

            try
            {
                var control = services.For(host);
                var installed = await control.ListAsync(cancellationToken).ConfigureAwait(false);
                foreach (var stop in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var service = stop.Service.Find(installed);
                    if (service is null)
                    {
                        // Not every 2022 management server runs both (a service removed by hand): nothing to stop, nothing to undo.
                        run.Notes.Add(new Evidence($"{host.Name}: {stop.Service.Name}",
                            $"not installed (no service named {stop.Service.Name}, displayed as \"{stop.Service.DisplayName}\" or running {stop.Service.Binary}); nothing to stop"));
                        continue;
                    }

                    state = await StopOneAsync(control, host.Name, service, state, save, run, blocksStarts: false, progress, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (IsHostFailure(ex))
            {
                // The services of this host no action names yet: the one whose stop was refused, and any after it.
                var left = group.Select(s => s.Service.Name).Where(name => !run.Actions.Any(a => a.Target == $"{host.Name}: {name}")).ToList();
                run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, ServiceControlErrors.Describe(ex)));
                run.FailedServices.Add($"{host.Name}: {string.Join(", ", left)}");
            }
        }

        return state;
    }

    /// <summary>One service: a StopPending one is resolved (never "already stopped"), a stopped one left as it is, a
    /// running one recorded in the state and then stopped. <paramref name="blocksStarts"/>: a Runbook Service, whose
    /// host then counts as blocked (the orphan clean-up relies on it); otherwise a management service.</summary>
    private async Task<PrepareState> StopOneAsync(IServiceControl control, string host, ServiceInfo service, PrepareState state, Action<PrepareState> save, Run run,
        bool blocksStarts, IProgress<ServiceStopping>? progress, CancellationToken cancellationToken)
    {
        var record = new StoppedService(host, service.Name, service.DisplayName, default);
        if (ServiceStopper.IsStopPending(service))
        {
            // Not stopped, so never "already stopped": an earlier stop that never finished (the 2022 hang).
            var recorded = state.StoppedServices.Any(s => s.SameAs(record));
            var pending = await _stopper.ResolvePendingAsync(control, host, service, cancellationToken).ConfigureAwait(false);
            Record(run, host, service.Name, pending, pending.End == ServiceStopEnd.Stopped ? ActionOutcome.AlreadyStopped : null, recorded, blocksStarts);
            return state;
        }

        if (!string.Equals(service.State, "Running", StringComparison.OrdinalIgnoreCase))
        {
            var ours = state.StoppedServices.Any(s => s.SameAs(record));
            run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, $"{host}: {service.Name}", ActionOutcome.AlreadyStopped,
                ours ? "stopped by an earlier prepare; resume starts it" : $"was {service.State} before prepare; resume leaves it so"));
            if (blocksStarts)
            {
                run.BlockedHosts.Add(host);
            }

            return state;
        }

        // Recorded before the stop is sent: the Service Control Manager acts on it even when the wait for
        // "Stopped" is cancelled (Ctrl+C) or times out, and resume must then still start the service.
        var before = state;
        state = state.With(record with { StoppedAt = time.GetUtcNow() }, time.GetUtcNow());
        save(state);
        progress?.Report(new ServiceStopping(host, service.Name, service.DisplayName, _stopOptions.StopTimeout));
        ServiceStopResult stop;
        try
        {
            stop = await _stopper.StopAsync(control, host, service, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (TimeoutException or OperationCanceledException))
        {
            // Refused (access denied, no such service): nothing was stopped, so nothing is left for resume.
            save(before);
            throw;
        }
        catch (OperationCanceledException)
        {
            if (await StillRunningAsync(control, service.Name).ConfigureAwait(false))
            {
                // Cancelled before the stop reached the service (it still runs): the report must not say it was sent.
                save(before);
            }

            throw;
        }

        // A service still StopPending stays in the state: it is no longer Running, and resume must start it once it stops.
        Record(run, host, service.Name, stop, stoppedAs: null, recorded: true, blocksStarts);
        return state;
    }

    /// <summary>After a cancel: whether the service still reports Running, read with its own short timeout (the run's token
    /// is cancelled). Unreadable = not known to run, so the record stays and resume starts it if it is stopped.</summary>
    private static async Task<bool> StillRunningAsync(IServiceControl control, string serviceName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var now = await control.QueryAsync(serviceName, timeout.Token).ConfigureAwait(false);
            return string.Equals(now?.State, "Running", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static bool IsHostFailure(Exception ex) =>
        ex is HostFactsException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException or IOException;

    /// <summary>The action for one stop and where it counts; <paramref name="recorded"/>: the service is in the
    /// state, so resume starts it (else resume leaves it, and the detail says so).</summary>
    private static void Record(Run run, string host, string service, ServiceStopResult stop, ActionOutcome? stoppedAs, bool recorded, bool blocksStarts)
    {
        var target = $"{host}: {service}";
        var resume = recorded
            ? stop.End == ServiceStopEnd.NotStopped
                ? " It is in prepare-state.json, so `orchprep resume` starts it again once it has stopped."
                : "; resume starts it again"
            : stop.End == ServiceStopEnd.NotStopped
                ? " orchprep did not stop it, so resume leaves it."
                : "; orchprep did not stop it, so resume leaves it";
        var detail = stop.Detail + resume;
        if (stop.End is ServiceStopEnd.Stopped or ServiceStopEnd.ForceStopped)
        {
            run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, target,
                stop.End == ServiceStopEnd.ForceStopped ? ActionOutcome.ForceStopped : stoppedAs ?? ActionOutcome.Stopped, detail));
            if (blocksStarts)
            {
                run.BlockedHosts.Add(host);
            }
            else
            {
                run.StoppedServices.Add(target);
            }

            return;
        }

        run.Actions.Add(new ActionRecord(ActionKind.BlockStarts, target, ActionOutcome.Failed, detail));
        (blocksStarts ? run.FailedHosts : run.FailedServices).Add(blocksStarts ? host : target);
        run.NotStopped.Add(stop.Detail);
    }

    /// <summary>What one run of block starts has done so far.</summary>
    private sealed class Run
    {
        public List<ActionRecord> Actions { get; } = [];
        public List<string> BlockedHosts { get; } = [];
        public List<string> FailedHosts { get; } = [];
        public List<string> FailedServices { get; } = [];
        public List<string> StoppedServices { get; } = [];
        public List<string> NotStopped { get; } = [];
        public List<Evidence> Notes { get; } = [];
    }
}

/// <summary>A Runbook Service about to be stopped (block starts tells its progress before each stop); <see cref="Bound"/>
/// is how long prepare waits for Stopped (policies.services.stopTimeout).</summary>
public sealed record ServiceStopping(string Host, string Name, string DisplayName, TimeSpan? Bound = null);

/// <summary>How a Windows service is recognised: short name, else display name, else binary file name.</summary>
public sealed record RunbookServiceIdentity(string Name, string DisplayName, string Binary)
{
    public ServiceInfo? Find(IReadOnlyList<ServiceInfo> installed) =>
        installed.FirstOrDefault(s => string.Equals(s.Name, Name, StringComparison.OrdinalIgnoreCase))
        ?? installed.FirstOrDefault(s => string.Equals(s.DisplayName, DisplayName, StringComparison.OrdinalIgnoreCase))
        ?? installed.FirstOrDefault(s => s.PathName?.Trim('"', ' ').EndsWith(Binary, StringComparison.OrdinalIgnoreCase) == true);
}

public sealed record BlockResult(PrepareState State, IReadOnlyList<ActionRecord> Actions, IReadOnlyList<string> BlockedHosts, IReadOnlyList<string> FailedHosts)
{
    /// <summary>What each service that did not stop within its bound reports (state, process ID, the workaround).</summary>
    public IReadOnlyList<string> NotStopped { get; init; } = [];

    /// <summary>Management services of the plan (host: service, or a host whose services could not be reached) that did not stop.</summary>
    public IReadOnlyList<string> FailedServices { get; init; } = [];

    /// <summary>Management services of the plan that are stopped (host: service).</summary>
    public IReadOnlyList<string> StoppedServices { get; init; } = [];

    /// <summary>Evidence without an action: why a management server's services were not stopped, or that one is not installed.</summary>
    public IReadOnlyList<Evidence> Notes { get; init; } = [];

    public CheckOutcome ToOutcome()
    {
        var evidence = Actions.Select(a => a.ToEvidence()).Concat(Notes).ToArray();
        if (BlockedHosts.Count == 0 && FailedHosts.Count == 0 && FailedServices.Count == 0 && StoppedServices.Count == 0)
        {
            return CheckOutcome.Skipped("not configured: the environment names no host with the runbook-server role.");
        }

        var management = StoppedServices.Count == 0
            ? string.Empty
            : $" Also stopped, as Orchestrator 2022's release notes say they may not stop: {string.Join(", ", StoppedServices)}.";
        if (FailedHosts.Count == 0 && FailedServices.Count == 0)
        {
            return CheckOutcome.Met($"The Runbook Service is stopped on {BlockedHosts.Count} runbook server(s): no new job starts until `orchprep resume`.{management}", evidence);
        }

        var summary = new List<string>();
        if (FailedHosts.Count > 0)
        {
            summary.Add($"New starts could not be blocked on {string.Join(", ", FailedHosts)}.");
        }

        if (FailedServices.Count > 0)
        {
            summary.Add($"Not stopped: {string.Join(", ", FailedServices)}.");
        }

        summary.AddRange(NotStopped);
        return CheckOutcome.Unmet(
            string.Join(" ", summary),
            (NotStopped.Count == 0 ? string.Empty :
                "A service that does not stop (StopPending) has its process ID above: end that process on its host with `taskkill /f /pid <PID>` (Microsoft's documented workaround) " +
                "or run `orchprep prepare --force-stop`, which ends it for you, then run prepare again; `orchprep resume` starts it again. ") +
            (FailedHosts.Count == 0 ? string.Empty :
                "Stop the Orchestrator Runbook Service (orunbook) on those servers by hand (services.msc, or `sc \\\\HOST stop orunbook`) and start it after the upgrade; ") +
            (FailedServices.Count == 0 ? string.Empty :
                "Stop the Runbook Server Monitor and Remoting Service (omonitor, oremoting) named above by hand (`sc \\\\HOST stop omonitor`) and start them after the upgrade; ") +
            "orchprep needs the right to control services there (local administrator), and a host checked from a snapshot cannot be changed.",
            evidence);
    }
}
