using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Http;
using Polly;
using Polly.Timeout;
using Xunit;

namespace OrchUpgradePrep.Tests.Http;

public sealed class HttpResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpResilienceOptions Options(int retries = 2, TimeSpan? attemptTimeout = null, TimeProvider? time = null) => new()
    {
        MaxRetries = retries,
        BaseDelay = TimeSpan.Zero,
        MaxDelay = TimeSpan.FromSeconds(30),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
        Time = time ?? TimeProvider.System,
    };

    // Answers in turn with the given statuses (the last one repeats), counting attempts.
    private sealed class Answers(params HttpStatusCode[] statuses)
    {
        public int Attempts { get; private set; }
        public List<HttpResponseMessage> Sent { get; } = [];

        public ValueTask<HttpResponseMessage> NextAsync(CancellationToken token)
        {
            var response = new HttpResponseMessage(statuses[Math.Min(Attempts, statuses.Length - 1)]) { Content = new StringContent("body") };
            Attempts++;
            Sent.Add(response);
            return ValueTask.FromResult(response);
        }
    }

    [Fact]
    public async Task A_server_error_is_asked_again_and_the_answer_not_read_is_released()
    {
        var answers = new Answers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var response = await HttpResilience.Build(Options()).ExecuteAsync(answers.NextAsync, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, answers.Attempts);
        // A disposed response's content is gone: reading it throws.
        Assert.Throws<ObjectDisposedException>(() => answers.Sent[0].Content.ReadAsStream(Ct));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_client_error_is_an_answer_returned_at_once_by_default(HttpStatusCode status)
    {
        var answers = new Answers(status, HttpStatusCode.OK);
        using var response = await HttpResilience.Build(Options()).ExecuteAsync(answers.NextAsync, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, answers.Attempts);
    }

    [Fact]
    public async Task Retries_stop_at_the_bound_and_zero_retries_is_one_attempt()
    {
        var always = new Answers(HttpStatusCode.BadGateway);
        using (var last = await HttpResilience.Build(Options(retries: 2)).ExecuteAsync(always.NextAsync, Ct))
        {
            Assert.Equal(HttpStatusCode.BadGateway, last.StatusCode);
        }

        Assert.Equal(3, always.Attempts);

        var once = new Answers(HttpStatusCode.BadGateway);
        using var only = await HttpResilience.Build(Options(retries: 0)).ExecuteAsync(once.NextAsync, Ct);
        Assert.Equal(1, once.Attempts);
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_and_the_next_attempt_answers()
    {
        var attempts = 0;
        var pipeline = HttpResilience.Build(Options(attemptTimeout: TimeSpan.FromMilliseconds(100)));
        using var response = await pipeline.ExecuteAsync(async token =>
        {
            if (++attempts == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }, Ct);

        Assert.Equal(2, attempts);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_attempt_timing_out_ends_in_TimeoutRejectedException_after_the_bound()
    {
        var attempts = 0;
        var pipeline = HttpResilience.Build(Options(retries: 1, attemptTimeout: TimeSpan.FromMilliseconds(50)));
        await Assert.ThrowsAsync<TimeoutRejectedException>(async () => await pipeline.ExecuteAsync<HttpResponseMessage>(async token =>
        {
            attempts++;
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        }, Ct));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task The_callers_cancellation_is_never_retried()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var attempts = 0;
        var pipeline = HttpResilience.Build(Options());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pipeline.ExecuteAsync<HttpResponseMessage>(async token =>
        {
            attempts++;
            await cancel.CancelAsync();
            token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        }, cancel.Token));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_retry_after_the_client_honours_is_waited_for_on_the_clock_given()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options(time: time) with
        {
            ShouldRetry = HttpResilience.IsTransientOrThrottled,
            RetryAfter = r => HttpResilience.CappedRetryAfter(r, time.GetUtcNow(), TimeSpan.FromSeconds(30)),
        };
        var attempts = 0;
        var running = HttpResilience.Build(options).ExecuteAsync(token =>
        {
            var response = new HttpResponseMessage(++attempts == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (attempts == 1)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            }

            return ValueTask.FromResult(response);
        }, Ct).AsTask();

        await WaitUntilAsync(() => attempts == 1);
        time.Advance(TimeSpan.FromSeconds(6));
        await Task.Delay(50, Ct);
        Assert.Equal(1, attempts);
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(2, attempts);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_outcome_rules_name_what_is_transient_throttled_or_never_sent()
    {
        static Outcome<HttpResponseMessage> Status(HttpStatusCode code) => Outcome.FromResult(new HttpResponseMessage(code));
        static Outcome<HttpResponseMessage> Failure(Exception ex) => Outcome.FromException<HttpResponseMessage>(ex);

        Assert.True(HttpResilience.IsTransient(Status(HttpStatusCode.InternalServerError)));
        Assert.True(HttpResilience.IsTransient(Failure(new HttpRequestException("reset"))));
        Assert.True(HttpResilience.IsTransient(Failure(new IOException("broken body"))));
        Assert.True(HttpResilience.IsTransient(Failure(new TimeoutRejectedException())));
        Assert.False(HttpResilience.IsTransient(Status(HttpStatusCode.TooManyRequests)));
        Assert.False(HttpResilience.IsTransient(Failure(new OperationCanceledException())));
        Assert.True(HttpResilience.IsTransientOrThrottled(Status(HttpStatusCode.TooManyRequests)));
        Assert.True(HttpResilience.IsTransientOrThrottled(Status(HttpStatusCode.RequestTimeout)));
        Assert.False(HttpResilience.IsTransientOrThrottled(Status(HttpStatusCode.Forbidden)));
        Assert.True(HttpResilience.NeverConnected(Failure(new HttpRequestException(HttpRequestError.ConnectionError, "refused"))));
        Assert.False(HttpResilience.NeverConnected(Failure(new HttpRequestException(HttpRequestError.ResponseEnded, "ended"))));
        Assert.False(HttpResilience.NeverConnected(Failure(new TimeoutRejectedException())));
    }

    [Fact]
    public void A_retry_after_longer_than_the_cap_is_cut_to_it_and_none_lets_the_backoff_decide()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromSeconds(30), HttpResilience.CappedRetryAfter(response, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(30)));
        using var plain = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(HttpResilience.CappedRetryAfter(plain, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }
}
