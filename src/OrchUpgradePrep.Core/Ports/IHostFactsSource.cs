using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Ports;

/// <summary>Gives the host-facts adapter for a configured host: snapshot, live local Windows, or remote.</summary>
public interface IHostFactsSource
{
    /// <summary>Throws <see cref="HostFactsException"/> when no adapter can reach the host.</summary>
    IHostFacts For(HostConfig host);
}
