namespace OrchUpgradePrep.Engine;

public sealed record CheckRunnerOptions
{
    /// <summary>Checks in flight at once, across all hosts. Bounded so 50 hosts do not open 500 WinRM sessions.</summary>
    public int MaxParallelism { get; init; } = 8;

    /// <summary>Time one check may take before it is recorded as error.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time the whole plan may take: a gate must answer even when many hosts are slow. Checks still running
    /// (or not started) when it passes are errors saying so. <see cref="Timeout.InfiniteTimeSpan"/> = none. A run's
    /// deadline (--deadline) is the engine's (<see cref="RunEngine"/> hands it to the checks step); this one applies when the runner
    /// is used alone (benchmarks, the runner's own tests).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(15);
}
