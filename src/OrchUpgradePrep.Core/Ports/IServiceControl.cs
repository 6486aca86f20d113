using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Ports;

/// <summary>Gives the Windows service controller of a configured host (local, remote by name, or the sandbox's).</summary>
public interface IServiceControlSource
{
    /// <summary>Throws <see cref="HostFactsException"/> when the host's services cannot be changed (e.g. a snapshot host).</summary>
    IServiceControl For(HostConfig host);
}

/// <summary>Windows services of one host. Every call has a timeout and honours cancellation.</summary>
public interface IServiceControl
{
    /// <summary>Installed services (name, display name, state "Running"/"Stopped"/…, binary path when known).</summary>
    Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stops the service and waits until it reports Stopped (<see cref="TimeoutException"/> after <paramref name="timeout"/>).</summary>
    Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Starts the service and waits until it reports Running (<see cref="TimeoutException"/> after <paramref name="timeout"/>).</summary>
    Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken);
}
