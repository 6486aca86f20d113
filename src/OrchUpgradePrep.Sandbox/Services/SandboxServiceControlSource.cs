using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.Services;

/// <summary>The sandbox hosts' Windows services, held by the simulated Orchestrator (stopping a Runbook Service there has the real consequences).</summary>
public sealed class SandboxServiceControlSource(SandboxOrchestrator orchestrator, IReadOnlyDictionary<string, string>? unreachableHosts = null) : IServiceControlSource
{
    public IServiceControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return unreachableHosts?.TryGetValue(host.Name, out var reason) == true
            ? throw new HostFactsException($"{host.Name}: {reason}")
            : new SandboxServiceControl(orchestrator, host.Name);
    }

    private sealed class SandboxServiceControl(SandboxOrchestrator orchestrator, string host) : IServiceControl
    {
        public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IReadOnlyList<ServiceInfo>>(
                [.. orchestrator.Services(host).Select(s => new ServiceInfo(s.Name, s.DisplayName, s.Running ? "Running" : "Stopped", "Auto", null))]);
        }

        public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => Set(serviceName, false, cancellationToken);

        public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) => Set(serviceName, true, cancellationToken);

        private Task Set(string serviceName, bool running, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return orchestrator.SetServiceRunning(host, serviceName, running)
                ? Task.CompletedTask
                : Task.FromException(new InvalidOperationException($"Service {serviceName} was not found on computer '{host}'."));
        }
    }
}
