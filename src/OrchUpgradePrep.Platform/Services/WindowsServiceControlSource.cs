using System.Globalization;
using System.Management;
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

    /// <summary>Win32_Service on the host (its ProcessId, PathName and ServiceType come from the Service Control Manager),
    /// over the same DCOM/RPC path `taskkill /s` takes.</summary>
    public Task<ServiceInfo?> QueryAsync(string serviceName, CancellationToken cancellationToken) =>
        Run(() =>
        {
            using var searcher = new ManagementObjectSearcher(Scope(), new ObjectQuery(
                $"SELECT Name, DisplayName, State, StartMode, PathName, StartName, ProcessId, ServiceType FROM Win32_Service WHERE Name = '{serviceName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'"),
                new System.Management.EnumerationOptions { Timeout = WmiTimeout, ReturnImmediately = true, Rewindable = false });
            return Wmi(() =>
            {
                using var results = searcher.Get();
                foreach (var item in results)
                {
                    using (item)
                    {
                        var name = item["Name"] as string ?? serviceName;
                        return new ServiceInfo(
                            name,
                            item["DisplayName"] as string ?? name,
                            State(item["State"] as string),
                            item["StartMode"] as string ?? "Unknown",
                            item["PathName"] as string,
                            item["StartName"] as string,
                            item["ProcessId"] is uint pid ? checked((int)pid) : null,
                            item["ServiceType"] is string type ? string.Equals(type, "Share Process", StringComparison.OrdinalIgnoreCase) : null);
                    }
                }

                return (ServiceInfo?)null;
            }, "Win32_Service");
        }, cancellationToken);

    /// <summary>Win32_Process.Terminate of that process (what `taskkill /s HOST /f /pid` does), then waits for it to be gone.</summary>
    public async Task<ProcessEndOutcome> EndProcessAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var outcome = await Run(() => Wmi(() =>
        {
            using var process = new ManagementObject(Scope(), new ManagementPath(string.Create(CultureInfo.InvariantCulture, $"Win32_Process.Handle='{processId}'")), null);
            try
            {
                process.Get();
            }
            catch (ManagementException ex) when (ex.ErrorCode == ManagementStatus.NotFound)
            {
                return ProcessEndOutcome.AlreadyGone;
            }

            var result = Convert.ToUInt32(process.InvokeMethod("Terminate", [0u]), CultureInfo.InvariantCulture);
            return result switch
            {
                0 => ProcessEndOutcome.Ended,
                2 or 3 => throw new UnauthorizedAccessException(string.Create(CultureInfo.InvariantCulture, $"{machineName}: ending process {processId} was refused (Win32_Process.Terminate returned {result}: access denied)")),
                _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{machineName}: ending process {processId} failed (Win32_Process.Terminate returned {result})")),
            };
        }, "Win32_Process"), cancellationToken).ConfigureAwait(false);

        var started = time.GetTimestamp();
        while (outcome == ProcessEndOutcome.Ended && await Run(() => Wmi(() => Exists(processId), "Win32_Process"), cancellationToken).ConfigureAwait(false))
        {
            if (time.GetElapsedTime(started) >= timeout)
            {
                throw new System.TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{machineName}: process {processId} was still there {timeout.TotalSeconds:0}s after it was ended"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private bool Exists(int processId)
    {
        using var searcher = new ManagementObjectSearcher(Scope(), new ObjectQuery(string.Create(CultureInfo.InvariantCulture, $"SELECT ProcessId FROM Win32_Process WHERE ProcessId = {processId}")),
            new System.Management.EnumerationOptions { Timeout = WmiTimeout, ReturnImmediately = true, Rewindable = false });
        using var results = searcher.Get();
        foreach (var item in results)
        {
            item.Dispose();
            return true;
        }

        return false;
    }

    private static readonly TimeSpan WmiTimeout = TimeSpan.FromSeconds(30);

    private ManagementScope Scope() => new($@"\\{machineName}\root\cimv2", new ConnectionOptions { Timeout = WmiTimeout });

    /// <summary>Win32_Service.State spells "Stop Pending"; ServiceControllerStatus (what ListAsync says) "StopPending".</summary>
    private static string State(string? wmi) => wmi is null ? "Unknown" : wmi.Replace(" ", string.Empty, StringComparison.Ordinal);

    private T Wmi<T>(Func<T> work, string className)
    {
        try
        {
            return work();
        }
        catch (ManagementException ex) when (ex.ErrorCode == ManagementStatus.AccessDenied)
        {
            throw new UnauthorizedAccessException($"{machineName}: WMI {className}: access denied", ex);
        }
        catch (Exception ex) when (ex is ManagementException or System.Runtime.InteropServices.COMException)
        {
            throw new HostFactsException($"{machineName}: WMI {className}: {ex.Message}", ex);
        }
    }

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
