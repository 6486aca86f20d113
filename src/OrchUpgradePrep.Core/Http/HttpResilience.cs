using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OrchUpgradePrep.Http;

/// <summary>
/// How one HTTP client of orchprep retries. The pipeline is the same for every client (docs/adr/0020-one-http-resilience-pipeline.md);
/// what differs between the Orchestrator web service, GitHub and Azure DevOps is said here, per client, as options.
/// </summary>
public sealed record HttpResilienceOptions
{
    /// <summary>Retries after the first attempt; 0 = one attempt, no retry.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The first backoff; each retry doubles it, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public required TimeSpan BaseDelay { get; init; }

    /// <summary>The longest wait between two attempts (also the cap of a Retry-After the client honours).</summary>
    public required TimeSpan MaxDelay { get; init; }

    /// <summary>How long one attempt may take, its answer included; a timed-out attempt counts as transient.</summary>
    public required TimeSpan AttemptTimeout { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Which outcomes are asked again. Default <see cref="HttpResilience.IsTransient"/>: no connection, a broken one,
    /// an attempt's timeout, 5xx. A client widens it (429, 408) or narrows it (a POST that may already have acted).</summary>
    public Func<Outcome<HttpResponseMessage>, bool> ShouldRetry { get; init; } = HttpResilience.IsTransient;

    /// <summary>The wait a server asks for (Retry-After), already capped by the client; null lets the backoff decide.
    /// Default: none honoured.</summary>
    public Func<HttpResponseMessage?, TimeSpan?> RetryAfter { get; init; } = static _ => null;
}

/// <summary>
/// The one retry-and-timeout pipeline (Polly) that every HTTP client of orchprep sends through: a bounded number of
/// retries with exponential backoff and jitter around a per-attempt timeout, so a stalled server costs one attempt's time
/// and never the run's. The caller's cancellation is never retried: Polly rethrows it.
/// </summary>
public static class HttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Build(HttpResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AttemptTimeout, TimeSpan.Zero);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.Time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(options.ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(options.RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    // The answer that is asked again is not read: release its connection now.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        // Inside the retry, so each attempt gets its own timeout.
        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>No connection, a broken connection, an attempt's timeout, or 5xx. Never 4xx (an answer: a bad token, a
    /// missing permission), never the caller's cancellation (an <see cref="OperationCanceledException"/>).</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        IsNetworkFailure(outcome) || outcome is { Exception: null, Result: { } response } && (int)response.StatusCode >= 500;

    /// <summary><see cref="IsTransient"/>, and also 408 Request Timeout and 429 Too Many Requests.</summary>
    public static bool IsTransientOrThrottled(Outcome<HttpResponseMessage> outcome) =>
        IsTransient(outcome) ||
        outcome is { Exception: null, Result.StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests };

    /// <summary>The attempt got no answer: refused, reset, a broken body, or its timeout.</summary>
    public static bool IsNetworkFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;

    /// <summary>The request never reached the server (no connection, no name), so asking again cannot make it act twice.</summary>
    public static bool NeverConnected(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>A Retry-After measured from <paramref name="now"/> (null for a date when there is no clock to measure
    /// from), capped at <paramref name="cap"/>.</summary>
    public static TimeSpan? CappedRetryAfter(HttpResponseMessage? response, DateTimeOffset? now, TimeSpan cap) =>
        HttpRetryAfter.Of(response, now) is { } wait ? (wait > cap ? cap : wait) : null;
}
