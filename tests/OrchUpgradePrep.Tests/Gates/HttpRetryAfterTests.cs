using System.Net.Http.Headers;
using OrchUpgradePrep.Gates;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates;

public sealed class HttpRetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage With(RetryConditionHeaderValue? value)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = value;
        return response;
    }

    [Fact]
    public void Seconds_AreTheWait()
    {
        using var response = With(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(7), HttpRetryAfter.Of(response, null));
    }

    [Fact]
    public void ADate_IsMeasuredFromTheGivenNow_AndAPastOneIsZero()
    {
        using var future = With(new RetryConditionHeaderValue(Now.AddSeconds(30)));
        using var past = With(new RetryConditionHeaderValue(Now.AddSeconds(-30)));

        Assert.Equal(TimeSpan.FromSeconds(30), HttpRetryAfter.Of(future, Now));
        Assert.Equal(TimeSpan.Zero, HttpRetryAfter.Of(past, Now));
        Assert.Null(HttpRetryAfter.Of(future, null));
    }

    [Fact]
    public void NoHeader_OrNoResponse_IsNull()
    {
        using var response = With(null);
        Assert.Null(HttpRetryAfter.Of(response, Now));
        Assert.Null(HttpRetryAfter.Of(null, Now));
    }
}
