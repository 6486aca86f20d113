using System.IO.Abstractions;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>
/// Picks the adapter for a configured host: its snapshot when <c>hosts[].snapshot</c> is set (relative to the
/// config file), the live adapter when the host is the machine orchprep runs on (an error inside a container, whose machine is not the host), otherwise the remote adapter (CIM over
/// WinRM, Windows runners only; docs/adr/0007-remote-hosts-over-cim.md) or an error that says what to do.
/// </summary>
public sealed class HostFactsSource : IHostFactsSource
{
    private readonly IFileSystem _fileSystem;
    private readonly string _baseDirectory;
    private readonly LocalMachine _localMachine;
    private readonly Func<IHostFacts>? _liveLocalHost;
    private readonly Func<HostConfig, IHostFacts>? _remoteHost;

    /// <param name="liveLocalHost">Creates the live adapter for this machine; null where there is none (not Windows).</param>
    /// <param name="remoteHost">Creates the adapter for another host (CIM over WinRM); null where there is none (not Windows).</param>
    public HostFactsSource(IFileSystem fileSystem, string baseDirectory, LocalMachine localMachine, Func<IHostFacts>? liveLocalHost = null,
        Func<HostConfig, IHostFacts>? remoteHost = null)
    {
        _fileSystem = fileSystem;
        _baseDirectory = baseDirectory;
        _localMachine = localMachine;
        _liveLocalHost = liveLocalHost;
        _remoteHost = remoteHost;
    }

    public IHostFacts For(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Snapshot is { } snapshot)
        {
            var folder = _fileSystem.Path.GetFullPath(_fileSystem.Path.Combine(_baseDirectory, snapshot));
            return SnapshotHostFacts.Open(_fileSystem, folder, host.Name);
        }

        if (_localMachine.Is(host.Name))
        {
            if (_localMachine.IsContainer)
            {
                throw new HostFactsException(_localMachine.ContainerRefusal(host.Name, "its registry, services, processes and sessions are not the host's, so they were not read"));
            }

            return _liveLocalHost?.Invoke()
                ?? throw new HostFactsException($"{host.Name}: live host facts need Windows; on this platform give the host a snapshot (hosts[].snapshot, docs/snapshots.md)");
        }

        return _remoteHost?.Invoke(host)
            ?? throw new HostFactsException(
                $"{host.Name}: remote hosts are read over WinRM/CIM, which needs a Windows runner; give the host a snapshot (hosts[].snapshot) to check it from here " +
                $"(export one on {host.Name} with examples/snapshot/Export-OrchPrepSnapshot.ps1), or run orchprep on {host.Name} or on a Windows runner.");
    }
}
