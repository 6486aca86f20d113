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
public sealed class RunbookServiceBlock(IServiceControlSource services, TimeProvider time, ServiceStopOptions? stopOptions = null)
{
    private readonly ServiceStopOptions _stopOptions = stopOptions ?? new ServiceStopOptions();
    private readonly ServiceStopper _stopper = new(time, stopOptions ?? new ServiceStopOptions());

    /// <summary>The Runbook Service: short name, display name and binary (docs/facts/orchestrator-versions.md#services), matched in that order.</summary>
    public static readonly RunbookServiceIdentity RunbookService = new("orunbook", "Orchestrator Runbook Service", "RunbookService.exe");

    /// <summary>How long resume waits for a service to start.</summary>
    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromMinutes(2);

    /// <param name="progress">Told before each service stop, which can take up to policies.services.stopTimeout (and, with --force-stop, the process end after it).</param>
    public async Task<BlockResult> RunAsync(EnvironmentConfig environment, PrepareState state, Action<PrepareState> save, CancellationToken cancellationToken,
        IProgress<ServiceStopping>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var actions = new List<ActionRecord>();
        var blocked = new List<string>();
        var failed = new List<string>();
        var notStopped = new List<string>();
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
                    actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, $"no {RunbookService.DisplayName} ({RunbookService.Name}) is installed on this runbook server"));
                    failed.Add(host.Name);
                    continue;
                }

                if (ServiceStopper.IsStopPending(service))
                {
                    // Not stopped, so never "already stopped": an earlier stop that never finished (the 2022 hang).
                    var recorded = state.StoppedServices.Any(s => s.SameAs(new StoppedService(host.Name, service.Name, service.DisplayName, default)));
                    var pending = await _stopper.ResolvePendingAsync(control, host.Name, service, cancellationToken).ConfigureAwait(false);
                    Record(actions, blocked, failed, notStopped, host.Name, service.Name, pending, pending.End == ServiceStopEnd.Stopped ? ActionOutcome.AlreadyStopped : null, recorded);
                    continue;
                }

                if (!string.Equals(service.State, "Running", StringComparison.OrdinalIgnoreCase))
                {
                    var ours = state.StoppedServices.Any(s => s.SameAs(new StoppedService(host.Name, service.Name, service.DisplayName, default)));
                    actions.Add(new ActionRecord(ActionKind.BlockStarts, $"{host.Name}: {service.Name}", ActionOutcome.AlreadyStopped,
                        ours ? "stopped by an earlier prepare; resume starts it" : $"was {service.State} before prepare; resume leaves it so"));
                    blocked.Add(host.Name);
                    continue;
                }

                // Recorded before the stop is sent: the Service Control Manager acts on it even when the wait for
                // "Stopped" is cancelled (Ctrl+C) or times out, and resume must then still start the service.
                var before = state;
                state = state.With(new StoppedService(host.Name, service.Name, service.DisplayName, time.GetUtcNow()), time.GetUtcNow());
                save(state);
                progress?.Report(new ServiceStopping(host.Name, service.Name, service.DisplayName, _stopOptions.StopTimeout));
                ServiceStopResult stop;
                try
                {
                    stop = await _stopper.StopAsync(control, host.Name, service, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not (TimeoutException or OperationCanceledException))
                {
                    // Refused (access denied, no such service): nothing was stopped, so nothing is left for resume.
                    state = before;
                    save(state);
                    throw;
                }

                // A service still StopPending stays in the state: it is no longer Running, and resume must start it once it stops.
                Record(actions, blocked, failed, notStopped, host.Name, service.Name, stop, stoppedAs: null, recorded: true);
            }
            catch (Exception ex) when (ex is HostFactsException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException or IOException)
            {
                actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, ServiceControlErrors.Describe(ex)));
                failed.Add(host.Name);
            }
        }

        return new BlockResult(state, actions, blocked, failed) { NotStopped = notStopped };
    }

    /// <summary>The action for one stop and where its host counts; <paramref name="recorded"/>: the service is in the
    /// state, so resume starts it (else resume leaves it, and the detail says so).</summary>
    private static void Record(List<ActionRecord> actions, List<string> blocked, List<string> failed, List<string> notStopped,
        string host, string service, ServiceStopResult stop, ActionOutcome? stoppedAs, bool recorded)
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
        switch (stop.End)
        {
            case ServiceStopEnd.Stopped:
                actions.Add(new ActionRecord(ActionKind.BlockStarts, target, stoppedAs ?? ActionOutcome.Stopped, detail));
                blocked.Add(host);
                break;
            case ServiceStopEnd.ForceStopped:
                actions.Add(new ActionRecord(ActionKind.BlockStarts, target, ActionOutcome.ForceStopped, detail));
                blocked.Add(host);
                break;
            default:
                actions.Add(new ActionRecord(ActionKind.BlockStarts, target, ActionOutcome.Failed, detail));
                failed.Add(host);
                notStopped.Add(stop.Detail);
                break;
        }
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

    public CheckOutcome ToOutcome()
    {
        var evidence = Actions.Select(a => a.ToEvidence()).ToArray();
        if (BlockedHosts.Count == 0 && FailedHosts.Count == 0)
        {
            return CheckOutcome.Skipped("not configured: the environment names no host with the runbook-server role.");
        }

        return FailedHosts.Count == 0
            ? CheckOutcome.Met($"The Runbook Service is stopped on {BlockedHosts.Count} runbook server(s): no new job starts until `orchprep resume`.", evidence)
            : CheckOutcome.Unmet(
                NotStopped.Count == 0
                    ? $"New starts could not be blocked on {string.Join(", ", FailedHosts)}."
                    : $"New starts could not be blocked on {string.Join(", ", FailedHosts)}. {string.Join(" ", NotStopped)}",
                (NotStopped.Count == 0 ? string.Empty :
                    "A service that does not stop (StopPending) has its process ID above: end that process on its host with `taskkill /f /pid <PID>` (Microsoft's documented workaround) " +
                    "or run `orchprep prepare --force-stop`, which ends it for you, then run prepare again; `orchprep resume` starts it again. ") +
                "Stop the Orchestrator Runbook Service (orunbook) on those servers by hand (services.msc, or `sc \\\\HOST stop orunbook`) and start it after the upgrade; " +
                "orchprep needs the right to control services there (local administrator), and a host checked from a snapshot cannot be changed.",
                evidence);
    }
}
