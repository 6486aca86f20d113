using System.ComponentModel;
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
            return Task.FromResult<IReadOnlyList<ServiceInfo>>(
                [.. orchestrator.Services(host).Select(s => new ServiceInfo(s.Name, s.DisplayName, s.Running ? "Running" : "Stopped", "Auto", null))]);
        }

        public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => SetAsync(serviceName, false, cancellationToken);

        public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => SetAsync(serviceName, true, cancellationToken);

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
