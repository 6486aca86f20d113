using System.Globalization;
using System.Runtime.Versioning;
using System.ServiceProcess;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Services;

/// <summary>
/// Service control for configured hosts: the Service Control Manager of the host by name (local or remote over RPC,
/// which needs local-administrator rights there). A host checked from a snapshot is a copy, not a machine: it cannot
/// be changed, and saying so is better than pretending.
/// </summary>
public sealed class WindowsServiceControlSource(TimeProvider time, LocalMachine localMachine) : IServiceControlSource
{
    public IServiceControl For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Snapshot is not null)
        {
            throw new HostFactsException($"{host.Name} is checked from a snapshot ({host.Snapshot}); its services cannot be changed from here. Run prepare where the host is reachable, or stop the service by hand.");
        }

        if (localMachine.IsContainer && localMachine.Is(host.Name))
        {
            // The container's own Service Control Manager: stopping "orunbook" there would block nothing on the host.
            throw new HostFactsException(localMachine.ContainerRefusal(host.Name, "its services are not the host's, so none was stopped or started"));
        }

        if (!OperatingSystem.IsWindows())
        {
            throw new HostFactsException($"{host.Name}: Windows services can only be controlled from a Windows runner.");
        }

        return new WindowsServiceControl(host.Name, time);
    }
}

/// <summary>One host's services through System.ServiceProcess.ServiceController (blocking calls run off the caller's thread).</summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsServiceControl(string machineName, TimeProvider time) : IServiceControl
{
    public Task<IReadOnlyList<ServiceInfo>> ListAsync(CancellationToken cancellationToken) =>
        Run<IReadOnlyList<ServiceInfo>>(() =>
        {
            var services = ServiceController.GetServices(machineName);
            try
            {
                return [.. services.Select(s => new ServiceInfo(s.ServiceName, s.DisplayName, s.Status.ToString(), s.StartType.ToString(), null))];
            }
            finally
            {
                foreach (var service in services)
                {
                    service.Dispose();
                }
            }
        }, cancellationToken);

    public Task StopAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) =>
        Change(serviceName, ServiceControllerStatus.Stopped, s => s.Stop(), timeout, cancellationToken);

    public Task StartAsync(string serviceName, TimeSpan timeout, CancellationToken cancellationToken) =>
        Change(serviceName, ServiceControllerStatus.Running, s => s.Start(), timeout, cancellationToken);

    private Task Change(string serviceName, ServiceControllerStatus wanted, Action<ServiceController> change, TimeSpan timeout, CancellationToken cancellationToken) =>
        Run<object?>(() =>
        {
            using var service = new ServiceController(serviceName, machineName);
            if (service.Status != wanted)
            {
                change(service);
            }

            try
            {
                service.WaitForStatus(wanted, timeout);
            }
            catch (System.ServiceProcess.TimeoutException ex)
            {
                throw new System.TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{machineName}: {serviceName} did not reach {wanted} within {timeout.TotalSeconds:0}s"), ex);
            }

            return null;
        }, cancellationToken);

    private Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken) =>
        // ServiceController has no async API; the caller's token stops the wait, not the SCM call.
        Task.Run(work, cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), time, cancellationToken);
}
