namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>How long one GitHub API call may take and how often a transient failure is tried again.</summary>
public sealed record GitHubApiOptions
{
    /// <summary>One attempt (connect, send, read the answer).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries after the first, for 5xx, 429 with Retry-After, and network failures only.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off delay (exponential, with jitter) when the answer names none.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the call fails instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock the back-off waits on (tests may pass a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
