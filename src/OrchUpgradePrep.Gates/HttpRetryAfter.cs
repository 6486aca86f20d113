namespace OrchUpgradePrep.Gates;

/// <summary>A response's <c>Retry-After</c> as a wait: seconds as given, or a date less <paramref name="now"/>; never below
/// zero. Null when the header is absent, or is a date with no time to measure it from. Callers cap it as their API needs.</summary>
public static class HttpRetryAfter
{
    public static TimeSpan? Of(HttpResponseMessage? response, DateTimeOffset? now)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date && now is { } from ? date - from : (TimeSpan?)null);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
