using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using Xunit;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.FakeOrchestratorService;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.ODataDocuments;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

public sealed class ODataOrchestratorApiResilienceTests
{
    private static readonly Guid JobId = Guid.Parse("8c5cb1bd-0f2b-4a5c-9f3e-2b1f9e4a1d11");
    private static readonly Guid RunbookId = Guid.Parse("0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static ODataOrchestratorApi Api(FakeOrchestratorService service, ODataOrchestratorApiOptions? options = null, TimeProvider? time = null) =>
        ODataOrchestratorApiTests.Api(service, options, time);

    private static HttpResponseMessage JobOrCatalog(RecordedRequest request) => request.Resource switch
    {
        "Runbooks" => Ok(Feed("Runbooks", [RunbookEntry(RunbookId, "Nightly cleanup", @"\Maintenance\Nightly cleanup")], count: 1)),
        _ => Ok(JobEntry(JobId, RunbookId, null, asRoot: true)),
    };

    [Fact]
    public async Task Two_503s_then_200_are_retried_and_succeed()
    {
        var failures = 2;
        using var service = new FakeOrchestratorService(r => r.Resource != "Runbooks" && failures-- > 0
            ? Xml(HttpStatusCode.ServiceUnavailable, "<html><body>Service Unavailable</body></html>")
            : JobOrCatalog(r));
        using var api = Api(service);

        var job = await api.GetJobAsync(JobId, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(3, service.Requests.Count(r => r.Resource != "Runbooks"));
    }

    [Fact]
    public async Task Retry_delays_come_from_the_time_provider_and_grow()
    {
        var time = new FakeTimeProvider();
        var failures = 2;
        using var service = new FakeOrchestratorService(r => r.Resource != "Runbooks" && failures-- > 0 ? Status(HttpStatusCode.BadGateway) : JobOrCatalog(r));
        using var api = Api(service, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.FromSeconds(1) }, time);

        var call = api.GetJobAsync(JobId, TestContext.Current.CancellationToken);
        Assert.True(await service.Received.WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.False(call.IsCompleted);
        Assert.Single(service.Requests); // waiting for the fake clock, not sleeping
        for (var i = 0; i < 2; i++)
        {
            // Exponential with jitter: each delay is bounded well below a minute.
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await service.Received.WaitAsync(Patience, TestContext.Current.CancellationToken));
        }

        Assert.NotNull(await call);
    }

    [Fact]
    public async Task A_persistent_500_fails_after_all_attempts_with_status_and_path()
    {
        using var service = new FakeOrchestratorService(r => Xml(HttpStatusCode.InternalServerError, Error("An error occurred while processing this request.")));
        using var api = Api(service, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero, MaxRetries = 3 });

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(4, service.Requests.Count);
        Assert.Contains("HTTP 500", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/Orchestrator2012/Orchestrator.svc/Jobs()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after 4 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("An error occurred while processing this request.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Client_errors_are_never_retried(HttpStatusCode status)
    {
        using var service = new FakeOrchestratorService(r => Xml(status, Error("no")));
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal((int)status, ex.StatusCode);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Start_is_not_retried_after_a_5xx_because_the_job_may_exist()
    {
        using var service = new FakeOrchestratorService(r => Status(HttpStatusCode.ServiceUnavailable));
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.StartJobAsync(RunbookId, TestContext.Current.CancellationToken));

        Assert.Equal(503, ex.StatusCode);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Connection_refused_is_retried_then_reported()
    {
        var port = FreeLoopbackPort();
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using var api = new ODataOrchestratorApi(
            http,
            new Uri($"http://127.0.0.1:{port}/Orchestrator2012/Orchestrator.svc/"),
            new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero, MaxRetries = 2, RequestTimeout = TimeSpan.FromSeconds(10) },
            TimeProvider.System);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, ex.StatusCode);
        Assert.Contains("cannot reach the service", ex.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task An_attempt_without_an_answer_times_out_and_is_retried()
    {
        var time = new FakeTimeProvider();
        using var service = new FakeOrchestratorService(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var api = Api(service, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero, MaxRetries = 1, RequestTimeout = TimeSpan.FromSeconds(30) }, time);

        var call = api.GetJobAsync(JobId, TestContext.Current.CancellationToken);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.True(await service.Received.WaitAsync(Patience, TestContext.Current.CancellationToken));
            time.Advance(TimeSpan.FromSeconds(31));
        }

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => call);
        Assert.Contains("no answer within 30 s after 2 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, service.Requests.Count);
    }

    [Fact]
    public async Task Caller_cancellation_surfaces_as_cancellation_and_is_not_retried()
    {
        using var service = new FakeOrchestratorService(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var api = Api(service);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = api.ListActiveJobsAsync(caller.Token);
        Assert.True(await service.Received.WaitAsync(Patience, TestContext.Current.CancellationToken));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(service.Requests);
    }

    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>
        """;

    public static TheoryData<string, string, string> HostileDocuments => new()
    {
        { "DTD", "DTD is prohibited", "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ELEMENT feed ANY>]><feed xmlns=\"http://www.w3.org/2005/Atom\"/>" },
        { "billion laughs", "DTD is prohibited", BillionLaughs },
        { "external entity", "DTD is prohibited", "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&xxe;</title></feed>" },
        { "not XML", "not acceptable XML", "Server Error in '/Orchestrator2012' Application." },
        { "JSON", "not acceptable XML", "{\"d\":{\"results\":[]}}" },
        { "truncated", "not acceptable XML", Feed("Jobs", [JobEntry(JobId, RunbookId, null)], count: 1)[..400] },
        { "wrong root", "expected <feed>", Error("not a feed") },
        { "wrong namespace", "expected <feed>", "<feed><entry/></feed>" },
        { "missing d:Status", "has no d:Status", Feed("Jobs", [JobEntry(JobId, RunbookId, null, withStatus: false)], count: 1) },
        { "bad Guid", "d:Id is not a Guid", Feed("Jobs", [JobEntry(JobId, RunbookId, null).Replace(JobId.ToString("D"), "not-a-guid", StringComparison.Ordinal)], count: 1) },
        { "bad m:count", "m:count is not a number", Feed("Jobs", [], count: 1).Replace("<m:count>1</m:count>", "<m:count>many</m:count>", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(HostileDocuments))]
    public async Task A_hostile_or_broken_answer_is_an_api_error_and_not_retried(string kind, string expected, string document)
    {
        using var service = new FakeOrchestratorService(r => Ok(document));
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{kind}: {ex.Message}");
        Assert.Contains("Jobs", ex.Message, StringComparison.Ordinal); // says which request or entry
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_20MB_answer_without_length_is_cut_off_at_the_limit()
    {
        var body = new EndlessFeedStream(20 * 1024 * 1024);
        using var service = new FakeOrchestratorService(r => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("response too large", ex.Message, StringComparison.Ordinal);
        Assert.InRange(body.BytesRead, 16 * 1024 * 1024, (16 * 1024 * 1024) + (256 * 1024));
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading()
    {
        var body = new EndlessFeedStream(20 * 1024 * 1024);
        using var service = new FakeOrchestratorService(r =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentLength = 20 * 1024 * 1024;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.GetJobAsync(JobId, TestContext.Current.CancellationToken));

        Assert.Contains("response too large", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_small_limit_applies_to_ordinary_documents_too()
    {
        using var service = new FakeOrchestratorService(r => Ok(JobEntry(JobId, RunbookId, null, asRoot: true)));
        using var api = Api(service, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero, MaxResponseBytes = 512 });

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.GetJobAsync(JobId, TestContext.Current.CancellationToken));

        Assert.Contains("response too large", ex.Message, StringComparison.Ordinal);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A feed that keeps going for <c>length</c> bytes, produced lazily; counts what was read.</summary>
    private sealed class EndlessFeedStream(long length) : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">");
        private static readonly byte[] Filler = Encoding.UTF8.GetBytes("<title type=\"text\">Jobs</title>");

        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            for (var i = 0; i < n; i++)
            {
                var at = BytesRead + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : Filler[(at - Head.Length) % Filler.Length];
            }

            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
