namespace OrchUpgradePrep.Platform.Orchestrator;

/// <summary>Limits and retry settings for <see cref="ODataOrchestratorApi"/>.</summary>
public sealed record ODataOrchestratorApiOptions
{
    /// <summary>How long one attempt (send and read the whole answer) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for transient failures only (5xx, refused/reset, timeout).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An answer longer than this is refused without reading the rest.</summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Entries asked for per page; 50 is the service's maximum.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Bound against a service whose paging never ends.</summary>
    public int MaxPages { get; init; } = 1000;
}
