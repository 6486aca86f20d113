using System.Net;
using OrchUpgradePrep.Http;
using Polly;
using Polly.Timeout;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// Under Octokit's HttpClient: each attempt has a timeout, and only transient failures are tried again, a bounded number
/// of times — 5xx, 429 with a Retry-After GitHub names, a network error or an attempt that timed out. A 4xx is an
/// answer (bad token, missing permission) and is returned at once.
/// </summary>
public sealed class GitHubResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public GitHubResilienceHandler(GitHubApiOptions options, HttpMessageHandler inner)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The shared pipeline (Http/HttpResilience); GitHub's differences: a 429 is asked again only when GitHub names a
        // Retry-After no longer than MaxRetryAfter (a secondary rate limit can ask for an hour), and a Retry-After date is
        // measured from the response's own Date header (GitHub's clock), not this machine's.
        _pipeline = HttpResilience.Build(new HttpResilienceOptions
        {
            MaxRetries = options.MaxRetries,
            BaseDelay = options.BaseDelay,
            MaxDelay = options.MaxRetryAfter,
            AttemptTimeout = options.AttemptTimeout,
            Time = options.Time,
            ShouldRetry = outcome => IsTransient(outcome, options.MaxRetryAfter),
            RetryAfter = RetryAfter,
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffered once, so every attempt sends the same bytes on a fresh message.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                using var attempt = Copy(request, body);
                return await base.SendAsync(attempt, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: null, Result: { } response } when (int)response.StatusCode >= 500 => true,
        { Result: { StatusCode: HttpStatusCode.TooManyRequests } response } => RetryAfter(response) is { } wait && wait <= maxRetryAfter,
        _ => false,
    };

    // A date is measured from the response's own Date header (GitHub's clock), not this machine's.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => HttpRetryAfter.Of(response, response?.Headers.Date);

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
