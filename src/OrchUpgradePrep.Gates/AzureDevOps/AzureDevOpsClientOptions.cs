namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>Timeouts and retries of the calls back to Azure DevOps.</summary>
public sealed record AzureDevOpsClientOptions
{
    /// <summary>One attempt, answer included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for transient failures only (5xx, 408, 429, no connection, timeout).</summary>
    public int MaxRetries { get; init; } = 4;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After above this is not waited for in full.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>All the calls that report one decision (log, attach, event), retries included.</summary>
    public TimeSpan ReportDeadline { get; init; } = TimeSpan.FromMinutes(5);
}
