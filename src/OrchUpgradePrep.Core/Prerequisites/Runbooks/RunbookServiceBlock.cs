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
public sealed class RunbookServiceBlock(IServiceControlSource services, TimeProvider time)
{
    /// <summary>The Runbook Service: short name, display name and binary (docs/facts/orchestrator-versions.md#services), matched in that order.</summary>
    public static readonly RunbookServiceIdentity RunbookService = new("orunbook", "Orchestrator Runbook Service", "RunbookService.exe");

    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromMinutes(2);

    /// <param name="progress">Told before each service stop, which can take up to <see cref="ServiceTimeout"/>.</param>
    public async Task<BlockResult> RunAsync(EnvironmentConfig environment, PrepareState state, Action<PrepareState> save, CancellationToken cancellationToken,
        IProgress<ServiceStopping>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var actions = new List<ActionRecord>();
        var blocked = new List<string>();
        var failed = new List<string>();
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
                progress?.Report(new ServiceStopping(host.Name, service.Name, service.DisplayName));
                try
                {
                    await control.StopAsync(service.Name, ServiceTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not (TimeoutException or OperationCanceledException))
                {
                    // Refused (access denied, no such service): nothing was stopped, so nothing is left for resume.
                    state = before;
                    save(state);
                    throw;
                }

                actions.Add(new ActionRecord(ActionKind.BlockStarts, $"{host.Name}: {service.Name}", ActionOutcome.Stopped, $"{service.DisplayName} stopped; resume starts it again"));
                blocked.Add(host.Name);
            }
            catch (Exception ex) when (ex is HostFactsException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException or IOException)
            {
                actions.Add(new ActionRecord(ActionKind.BlockStarts, host.Name, ActionOutcome.Failed, ServiceControlErrors.Describe(ex)));
                failed.Add(host.Name);
            }
        }

        return new BlockResult(state, actions, blocked, failed);
    }
}

/// <summary>A Runbook Service about to be stopped (block starts tells its progress before each stop).</summary>
public sealed record ServiceStopping(string Host, string Name, string DisplayName);

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
                $"New starts could not be blocked on {string.Join(", ", FailedHosts)}.",
                "Stop the Orchestrator Runbook Service (orunbook) on those servers by hand (services.msc, or `sc \\\\HOST stop orunbook`) and start it after the upgrade; " +
                "orchprep needs the right to control services there (local administrator), and a host checked from a snapshot cannot be changed.",
                evidence);
    }
}
