using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.Host;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>A reproducible simulated environment: hosts, target, and faults to inject.</summary>
internal sealed record SandboxScenario
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public TargetVersion Target { get; init; } = TargetVersion.V2022;
    public required Func<IReadOnlyList<SandboxHost>> Hosts { get; init; }

    /// <summary>Latency added to every host-fact read, to show progress and cancellation on slow hosts.</summary>
    public TimeSpan HostLatency { get; init; }
}
