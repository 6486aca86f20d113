using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prepare;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Stops one Windows service with a bounded wait. Orchestrator 2022's release notes document services that do not stop
/// normally (docs/facts/orchestrator-versions.md#services-that-do-not-stop), and Microsoft's workaround is ending the
/// service's process by hand. After the wait this reads the service's state and process ID from the Service Control
/// Manager and says so; only with --force-stop does it end that process, and only when the process is the service's own
/// (not shared with other services) and the ID read just before the kill is the one read after the wait
/// (docs/adr/0023-services-that-do-not-stop.md).
/// </summary>
public sealed class ServiceStopper(TimeProvider time, ServiceStopOptions options)
{
    /// <summary>Stops the service. Throws what the stop request itself throws (refused, not found): nothing was stopped then.
    /// A stop that does not end within the bound is a result, never an exception; cancellation propagates.</summary>
    public async Task<ServiceStopResult> StopAsync(IServiceControl control, string host, ServiceInfo service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(service);
        var started = time.GetTimestamp();
        try
        {
            await control.StopAsync(service.Name, options.StopTimeout, cancellationToken).ConfigureAwait(false);
            return new ServiceStopResult(ServiceStopEnd.Stopped, $"{service.DisplayName} stopped");
        }
        catch (TimeoutException)
        {
            // Handled below: the wait ended, the stop did not.
        }

        var waited = time.GetElapsedTime(started);
        var name = $"{service.DisplayName} ({service.Name}) on {host}";
        ServiceInfo? now;
        try
        {
            now = await control.QueryAsync(service.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsControlFailure(ex))
        {
            return Hung($"{name} did not stop within {Duration.Format(options.StopTimeout)}, and its state and process ID could not be read: {ServiceControlErrors.Describe(ex)}.",
                host, service.Name, processId: null);
        }

        if (now is not null && IsStopped(now))
        {
            return new ServiceStopResult(ServiceStopEnd.Stopped, $"{service.DisplayName} stopped after {Duration.Format(waited)}, later than its {Duration.Format(options.StopTimeout)} bound");
        }

        var state = now?.State ?? "not installed any more";
        var pid = now?.ProcessId;
        var what = $"{name} did not stop within {Duration.Format(options.StopTimeout)} (waited {Duration.Format(waited)}): it reports {state}, {DescribePid(pid)}.";
        if (!options.ForceStop)
        {
            return Hung($"{what} orchprep ended no process (only prepare --force-stop does).", host, service.Name, pid);
        }

        return await ForceAsync(control, host, service, pid, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A service found StopPending before prepare asked it anything (an earlier prepare's stop, or someone
    /// else's, that never finished): no stop is sent; its process ID is reported, and with --force-stop ended under the
    /// same guards as after the bounded wait.</summary>
    public async Task<ServiceStopResult> ResolvePendingAsync(IServiceControl control, string host, ServiceInfo service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(service);
        var name = $"{service.DisplayName} ({service.Name}) on {host}";
        ServiceInfo? now;
        try
        {
            now = await control.QueryAsync(service.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsControlFailure(ex))
        {
            return Hung($"{name} is {service.State} (a stop requested earlier has not finished), and its process ID could not be read: {ServiceControlErrors.Describe(ex)}.",
                host, service.Name, processId: null);
        }

        if (now is not null && IsStopped(now))
        {
            return new ServiceStopResult(ServiceStopEnd.Stopped, $"{service.DisplayName} has finished stopping");
        }

        var pid = now?.ProcessId;
        var what = $"{name} is {now?.State ?? "not installed any more"}: a stop requested earlier (by an earlier prepare or by someone else) has not finished, {DescribePid(pid)}.";
        return options.ForceStop
            ? await ForceAsync(control, host, service, pid, what, cancellationToken).ConfigureAwait(false)
            : Hung($"{what} orchprep ended no process (only prepare --force-stop does).", host, service.Name, pid);
    }

    private async Task<ServiceStopResult> ForceAsync(IServiceControl control, string host, ServiceInfo service, int? pid, string what, CancellationToken cancellationToken)
    {
        // The process ID is read again just before the kill: a service that restarted (or stopped and had its ID reused)
        // would otherwise take another process with it.
        ServiceInfo? current;
        try
        {
            current = await control.QueryAsync(service.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsControlFailure(ex))
        {
            return Hung($"{what} --force-stop ended nothing: the process ID could not be read again before ending it ({ServiceControlErrors.Describe(ex)}).", host, service.Name, pid);
        }

        if (current is not null && IsStopped(current))
        {
            return new ServiceStopResult(ServiceStopEnd.Stopped, $"{service.DisplayName} stopped by itself before --force-stop ended anything");
        }

        if (Refusal(current, pid) is { } refusal)
        {
            return Hung($"{what} --force-stop ended nothing: {refusal}.", host, service.Name, current?.ProcessId is > 0 ? current.ProcessId : pid);
        }

        var processId = pid!.Value;
        try
        {
            await control.EndProcessAsync(processId, options.ProcessEndTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsControlFailure(ex))
        {
            return Hung($"{what} --force-stop could not end process {processId}: {ServiceControlErrors.Describe(ex)}.", host, service.Name, processId);
        }

        var settled = await WaitStoppedAsync(control, service.Name, cancellationToken).ConfigureAwait(false);
        return settled is not null && IsStopped(settled)
            ? new ServiceStopResult(ServiceStopEnd.ForceStopped,
                $"{what} --force-stop ended process {processId} (what `taskkill /f /pid {processId}` does) and {service.DisplayName} reports Stopped")
            : Hung($"{what} --force-stop ended process {processId}, but {service.DisplayName} still reports {settled?.State ?? "nothing (not installed any more)"} {Duration.Format(options.SettleTimeout)} later.",
                host, service.Name, settled?.ProcessId);
    }

    /// <summary>Why the process must not be ended; null when it may.</summary>
    private static string? Refusal(ServiceInfo? current, int? pid)
    {
        if (current is null)
        {
            return "the service is no longer installed";
        }

        if (pid is not > 0)
        {
            return "the Service Control Manager reported no process ID for it after the wait";
        }

        if (current.ProcessId is not > 0)
        {
            return $"the Service Control Manager reports no process ID for it any more (it reported {pid} after the wait)";
        }

        if (current.ProcessId != pid)
        {
            return $"its process ID changed from {pid} to {current.ProcessId} between the wait and the kill (the service restarted or another process took the ID)";
        }

        if (current.SharesProcess == true || IsSharedHost(current.PathName))
        {
            return $"it shares its process with other services ({current.PathName ?? "a shared service process"}); ending it would stop them too";
        }

        return current.SharesProcess is null && current.PathName is null
            ? "the Service Control Manager did not say whether it shares its process with other services"
            : null;
    }

    /// <summary>svchost.exe hosts several services in one process.</summary>
    private static bool IsSharedHost(string? pathName)
    {
        if (pathName is null)
        {
            return false;
        }

        var path = pathName.Trim();
        var binary = path.StartsWith('"') ? path[1..].Split('"')[0] : path.Split(' ')[0];
        return Path.GetFileName(binary.Replace('\\', '/')).Equals("svchost.exe", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<ServiceInfo?> WaitStoppedAsync(IServiceControl control, string serviceName, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            ServiceInfo? now;
            try
            {
                now = await control.QueryAsync(serviceName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsControlFailure(ex))
            {
                now = new ServiceInfo(serviceName, serviceName, $"unreadable ({ServiceControlErrors.Describe(ex)})", "Unknown", null);
            }

            if (now is null || IsStopped(now) || time.GetElapsedTime(started) >= options.SettleTimeout)
            {
                return now;
            }

            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ServiceStopResult Hung(string what, string host, string serviceName, int? processId) =>
        new(ServiceStopEnd.NotStopped,
            $"{what} {Workaround(host, serviceName, processId)}",
            processId);

    /// <summary>Microsoft's documented workaround, for this host and process.</summary>
    public static string Workaround(string host, string serviceName, int? processId) =>
        processId is > 0
            ? $"Documented workaround (Orchestrator 2022 release notes): on {host} run `taskkill /f /pid {processId}` as an administrator, then run `orchprep prepare` again (or `orchprep resume` to start it)."
            : $"Documented workaround (Orchestrator 2022 release notes): on {host} find its process ID (`sc queryex {serviceName}`) and run `taskkill /f /pid <PID>` as an administrator, then run `orchprep prepare` again (or `orchprep resume` to start it).";

    private static string DescribePid(int? pid) => pid switch
    {
        null => "process ID not reported",
        0 => "no process ID (0)",
        _ => $"process ID {pid}",
    };

    public static bool IsStopPending(ServiceInfo service) => string.Equals(service.State, "StopPending", StringComparison.OrdinalIgnoreCase);

    public static bool IsStopped(ServiceInfo service) => string.Equals(service.State, "Stopped", StringComparison.OrdinalIgnoreCase);

    private static bool IsControlFailure(Exception ex) =>
        ex is HostFactsException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or PlatformNotSupportedException or IOException;
}

/// <summary>How prepare stops services: the bound on the wait (policies.services.stopTimeout) and --force-stop.</summary>
public sealed record ServiceStopOptions
{
    public TimeSpan StopTimeout { get; init; } = new ServicePolicy().StopTimeout;

    /// <summary>prepare --force-stop: end the service's own process after the bound.</summary>
    public bool ForceStop { get; init; }

    /// <summary>How long ending the process may take.</summary>
    public TimeSpan ProcessEndTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the service may take to report Stopped once its process is gone.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

public enum ServiceStopEnd
{
    /// <summary>It reported Stopped (within the bound, or found so right after it).</summary>
    Stopped,

    /// <summary>--force-stop ended its process and it then reported Stopped.</summary>
    ForceStopped,

    /// <summary>Not stopped: still StopPending (or unreadable) after the bound, and no process was ended or ending it did not help.</summary>
    NotStopped,
}

/// <summary>How a stop ended; <see cref="ProcessId"/> is the service's process where it is still running.</summary>
public sealed record ServiceStopResult(ServiceStopEnd End, string Detail, int? ProcessId = null);
