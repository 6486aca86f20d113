using System.ComponentModel;
using System.Globalization;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.Services;

/// <summary>The sandbox hosts' Windows services, held by the simulated Orchestrator (stopping a Runbook Service there has the real consequences).</summary>
/// <param name="unreachableHosts">Hosts whose Service Control Manager cannot be reached, with the reason.</param>
/// <param name="accessDeniedHosts">Hosts whose services can be listed but not stopped or started (the account is not an administrator there).</param>
/// <param name="latency">How long a stop or start takes to reach its state (the `slow` scenario), so Ctrl+C can land inside it.</param>
public sealed class SandboxServiceControlSource(
    SandboxOrchestrator orchestrator,
    IReadOnlyDictionary<string, string>? unreachableHosts = null,
    IReadOnlyCollection<string>? accessDeniedHosts = null,
    TimeSpan latency = default,
    TimeProvider? time = null) : IServiceControlSource
{
    public IServiceControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return unreachableHosts?.TryGetValue(host.Name, out var reason) == true
            ? throw new HostFactsException($"{host.Name}: {reason}")
            : new SandboxServiceControl(orchestrator, host.Name, accessDeniedHosts?.Contains(host.Name, StringComparer.OrdinalIgnoreCase) == true, latency, time ?? TimeProvider.System);
    }

    private sealed class SandboxServiceControl(SandboxOrchestrator orchestrator, string host, bool accessDenied, TimeSpan latency, TimeProvider time) : IServiceControl
    {
        public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IReadOnlyList<ServiceInfo>>([.. orchestrator.Services(host).Select(Info)]);
        }

        public Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(orchestrator.Services(host).Where(s => string.Equals(s.Name, serviceName, StringComparison.OrdinalIgnoreCase)).Select(Info).FirstOrDefault());
        }

        public async Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await SetAsync(serviceName, false, cancellationToken).ConfigureAwait(false);
            if (orchestrator.Services(host).FirstOrDefault(s => string.Equals(s.Name, serviceName, StringComparison.OrdinalIgnoreCase)) is { StopPending: true })
            {
                // Waits the whole bound, as ServiceController.WaitForStatus does for a service that never reports Stopped.
                await Task.Delay(timeout, time, cancellationToken).ConfigureAwait(false);
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{host}: {serviceName} did not reach Stopped within {timeout.TotalSeconds:0}s"));
            }
        }

        public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => SetAsync(serviceName, true, cancellationToken);

        public Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (accessDenied)
            {
                throw new UnauthorizedAccessException(string.Create(CultureInfo.InvariantCulture, $"{host}: ending process {processId} was refused (Win32_Process.Terminate returned 2: access denied)"));
            }

            return Task.FromResult(orchestrator.EndServiceProcess(host, processId) ? ProcessEndOutcome.Ended : ProcessEndOutcome.AlreadyGone);
        }

        /// <summary>What the Service Control Manager reports: each Orchestrator service runs in its own process (its own binary).</summary>
        private static ServiceInfo Info(SandboxService service) =>
            new(service.Name, service.DisplayName, service.State, "Auto", BinaryOf(service.Name), ProcessId: service.ProcessId, SharesProcess: false);

        /// <summary>The binaries of docs/facts/orchestrator-versions.md#services under the 2022 install folder.</summary>
        private static string? BinaryOf(string serviceName) => serviceName.ToUpperInvariant() switch
        {
            "ORUNBOOK" => @"""C:\Program Files\Microsoft System Center\Orchestrator\Runbook Server\RunbookService.exe""",
            "OMANAGEMENT" => @"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\ManagementService.exe""",
            "OMONITOR" => @"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\RunbookServerMonitorService.exe""",
            "OREMOTING" => @"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\OrchestratorRemotingService.exe""",
            _ => null,
        };

        private async Task SetAsync(string serviceName, bool running, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (accessDenied)
            {
                // What ServiceController throws when OpenService is refused: the reason is in the inner Win32Exception.
                throw new InvalidOperationException($"Cannot open {serviceName} service on computer '{host}'.", new Win32Exception(5, "Access is denied."));
            }

            // The Service Control Manager takes the control at once; what takes time is waiting for the new state.
            // A cancelled wait therefore leaves the service changed, as ServiceController does.
            if (!orchestrator.SetServiceRunning(host, serviceName, running))
            {
                throw new InvalidOperationException($"Service {serviceName} was not found on computer '{host}'.");
            }

            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
