using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>Slows every fact read of a host by a fixed latency (the `slow` scenario), honouring cancellation.</summary>
internal sealed class LatentHostFacts : IHostFacts, IRegistry
{
    private readonly IHostFacts _inner;
    private readonly TimeSpan _latency;
    private readonly TimeProvider _time;

    public LatentHostFacts(IHostFacts inner, TimeSpan latency, TimeProvider time)
    {
        _inner = inner;
        _latency = latency;
        _time = time;
    }

    public string HostName => _inner.HostName;

    public string SourceDescription => _inner.SourceDescription + $" (+{_latency.TotalMilliseconds:0} ms simulated latency)";

    public IRegistry Registry => this;

    public async ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        await Task.Delay(_latency, _time, cancellationToken).ConfigureAwait(false);
        return await _inner.Registry.ReadKeyAsync(keyPath, cancellationToken).ConfigureAwait(false);
    }

    public Task<OperatingSystemFacts> GetOperatingSystemAsync(CancellationToken cancellationToken) => Delayed(_inner.GetOperatingSystemAsync, cancellationToken);

    public Task<HardwareFacts> GetHardwareAsync(CancellationToken cancellationToken) => Delayed(_inner.GetHardwareAsync, cancellationToken);

    public Task<IReadOnlyList<VolumeFacts>> GetVolumesAsync(CancellationToken cancellationToken) => Delayed(_inner.GetVolumesAsync, cancellationToken);

    public Task<IReadOnlyList<DotNetRuntime>> GetDotNetRuntimesAsync(CancellationToken cancellationToken) => Delayed(_inner.GetDotNetRuntimesAsync, cancellationToken);

    public Task<ConfigMgrRebootState?> GetConfigMgrRebootStateAsync(CancellationToken cancellationToken) => Delayed(_inner.GetConfigMgrRebootStateAsync, cancellationToken);

    public Task<IReadOnlyList<ProcessInfo>> GetProcessesAsync(CancellationToken cancellationToken) => Delayed(_inner.GetProcessesAsync, cancellationToken);

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken) => Delayed(_inner.GetSessionsAsync, cancellationToken);

    public Task<IReadOnlyList<ServiceInfo>> GetServicesAsync(CancellationToken cancellationToken) => Delayed(_inner.GetServicesAsync, cancellationToken);

    public Task<IReadOnlyList<GroupMember>> GetLocalGroupMembersAsync(string group, CancellationToken cancellationToken) =>
        Delayed(ct => _inner.GetLocalGroupMembersAsync(group, ct), cancellationToken);

    public Task<AccountState?> GetAccountStateAsync(string account, CancellationToken cancellationToken) =>
        Delayed(ct => _inner.GetAccountStateAsync(account, ct), cancellationToken);

    public Task<DscLcmState?> GetDscLcmStateAsync(CancellationToken cancellationToken) => Delayed(_inner.GetDscLcmStateAsync, cancellationToken);

    public Task<IReadOnlyDictionary<string, bool>> GetFilesExistAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        Delayed(ct => _inner.GetFilesExistAsync(paths, ct), cancellationToken);

    public Task<IisLogScan> ReadIisLogRequestsAsync(IisLogQuery query, CancellationToken cancellationToken) =>
        Delayed(ct => _inner.ReadIisLogRequestsAsync(query, ct), cancellationToken);

    private async Task<T> Delayed<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await Task.Delay(_latency, _time, cancellationToken).ConfigureAwait(false);
        return await read(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Wraps a host-facts source so every host it gives is latent.</summary>
internal sealed class LatentHostFactsSource : IHostFactsSource
{
    private readonly IHostFactsSource _inner;
    private readonly TimeSpan _latency;
    private readonly TimeProvider _time;

    public LatentHostFactsSource(IHostFactsSource inner, TimeSpan latency, TimeProvider time)
    {
        _inner = inner;
        _latency = latency;
        _time = time;
    }

    public IHostFacts For(HostConfig host) => new LatentHostFacts(_inner.For(host), _latency, _time);
}

/// <summary>Hosts the sandbox cannot reach (the `host-unreachable` scenario): every read fails with the reason a real
/// remote read would give (DNS, refused, access denied), after the time such a failure takes.</summary>
internal sealed class UnreachableHostFactsSource(IHostFactsSource inner, IReadOnlyDictionary<string, string> unreachable) : IHostFactsSource
{
    public IHostFacts For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return unreachable.TryGetValue(host.Name, out var reason) ? throw new HostFactsException($"{host.Name}: {reason}") : inner.For(host);
    }
}
