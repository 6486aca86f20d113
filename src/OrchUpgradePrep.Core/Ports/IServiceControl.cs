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

    /// <summary>One service as the Service Control Manager reports it now: state (StopPending while a stop is under way),
    /// <see cref="ServiceInfo.ProcessId"/>, binary path and <see cref="ServiceInfo.SharesProcess"/>; null when it is not installed.</summary>
    Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken);

    /// <summary>Ends the process with this ID on the host at once (TerminateProcess, what <c>taskkill /f /pid</c> does) and
    /// waits up to <paramref name="timeout"/> for it to be gone. Only prepare --force-stop calls it, for the process the
    /// Service Control Manager reports for a service that did not stop. <see cref="UnauthorizedAccessException"/> when refused.</summary>
    Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken);
}

public enum ProcessEndOutcome
{
    /// <summary>The process was ended.</summary>
    Ended,

    /// <summary>No process with that ID was running any more.</summary>
    AlreadyGone,
}
