using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using Xunit;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.FakeOrchestratorService;
using static OrchUpgradePrep.Tests.Platform.Orchestrator.ODataDocuments;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

public sealed class ODataOrchestratorApiTests
{
    private static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace D = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    private static readonly XNamespace M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    private static readonly Guid Cleanup = Guid.Parse("0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    private static readonly Guid Monitor = Guid.Parse("1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d");
    private static readonly Guid Rb01 = Guid.Parse("aa11bb22-cc33-4d44-8e55-ff6600778899");
    private static readonly Guid Rb02 = Guid.Parse("bb22cc33-dd44-4e55-8f66-007788990011");
    private static readonly Guid JobId = Guid.Parse("8c5cb1bd-0f2b-4a5c-9f3e-2b1f9e4a1d11");

    internal static ODataOrchestratorApi Api(FakeOrchestratorService service, ODataOrchestratorApiOptions? options = null, TimeProvider? time = null, Uri? root = null) =>
        new(new HttpClient(service) { Timeout = Timeout.InfiniteTimeSpan }, root ?? ServiceRoot, options ?? new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero }, time ?? new FakeTimeProvider());

    private static string Catalog(RecordedRequest request) => request.Resource switch
    {
        "Runbooks" => Feed("Runbooks", [RunbookEntry(Cleanup, "Nightly cleanup", @"\Maintenance\Nightly cleanup"), RunbookEntry(Monitor, "Monitor AD", @"\Monitors\Monitor AD", isMonitor: true)], count: 2),
        "RunbookServers" => Feed("RunbookServers", [ServerEntry(Rb01, "ORCH-RB01"), ServerEntry(Rb02, "ORCH-RB02")], count: 2),
        _ => throw new InvalidOperationException($"unexpected request {request.PathAndQuery}"),
    };

    private static string[] ActiveJobs(int count) => Enumerable.Range(0, count)
        .Select(i => JobEntry(Guid.Parse($"00000000-0000-4000-8000-{i:D12}"), i % 2 == 0 ? Cleanup : Monitor, i % 3 == 0 ? Rb01 : Rb02))
        .ToArray();

    private static HttpResponseMessage Paged(RecordedRequest request, string title, string[] entries) =>
        Ok(Feed(title, entries.Skip(request.Skip).Take(request.Top ?? 50), count: entries.Length));

    [Fact]
    public async Task ActiveJobs_73_over_two_pages_cost_two_requests_per_poll_after_one_catalog_read()
    {
        var jobs = ActiveJobs(73);
        using var service = new FakeOrchestratorService(r => r.Resource == "Jobs()" ? Paged(r, "Jobs", jobs) : Ok(Catalog(r)));
        using var api = Api(service);

        var first = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);
        var second = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(73, first.Count);
        Assert.Equal(73, second.Count);
        var jobsPage = RootPath + ActiveJobsQuery;
        Assert.Equal(
            [
                jobsPage + "&$skip=0&$top=50&$inlinecount=allpages",
                jobsPage + "&$skip=50&$top=50&$inlinecount=allpages",
                RootPath + "Runbooks?$skip=0&$top=50&$inlinecount=allpages",
                RootPath + "RunbookServers?$skip=0&$top=50&$inlinecount=allpages",
                jobsPage + "&$skip=0&$top=50&$inlinecount=allpages",
                jobsPage + "&$skip=50&$top=50&$inlinecount=allpages",
            ],
            service.Requests.Select(r => r.PathAndQuery));
        Assert.All(service.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Equal("application/atom+xml,application/xml", r.Header("Accept"));
            Assert.Equal("1.0;NetFx", r.Header("DataServiceVersion"));
            Assert.Equal("2.0;NetFx", r.Header("MaxDataServiceVersion"));
        });
    }

    [Fact]
    public async Task ActiveJobs_carry_runbook_name_path_monitor_flag_and_server_name()
    {
        using var service = new FakeOrchestratorService(r => r.Resource == "Jobs()"
            ? Ok(Feed("Jobs", [JobEntry(JobId, Monitor, Rb01), JobEntry(Guid.NewGuid(), Cleanup, Guid.NewGuid(), status: "Pending", runbookServers: "ORCH-RB09")], count: 2))
            : Ok(Catalog(r)));
        using var api = Api(service);

        var jobs = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

        var monitor = jobs[0];
        Assert.Equal(JobId, monitor.Id);
        Assert.Equal("Monitor AD", monitor.RunbookName);
        Assert.Equal(@"\Monitors\Monitor AD", monitor.RunbookPath);
        Assert.True(monitor.IsMonitor);
        Assert.Equal("ORCH-RB01", monitor.RunbookServer);
        Assert.Equal(JobStatus.Running, monitor.Status);
        Assert.Equal(new DateTimeOffset(2013, 10, 1, 12, 34, 56, 123, TimeSpan.Zero), monitor.LastModifiedTime);
        Assert.Equal(new DateTimeOffset(2013, 10, 1, 12, 30, 0, 457, TimeSpan.Zero), monitor.CreationTime);
        var pending = jobs[1];
        Assert.False(pending.IsMonitor);
        Assert.Equal(@"\Maintenance\Nightly cleanup", pending.RunbookPath);
        Assert.Equal("ORCH-RB09", pending.RunbookServer); // server id unknown to RunbookServers: the job's own text
        Assert.True(pending.IsActive);
    }

    [Fact]
    public async Task A_job_of_a_runbook_not_in_the_cache_rereads_runbooks_once()
    {
        var newRunbook = Guid.NewGuid();
        var poll = 0;
        var runbookReads = 0;
        using var service = new FakeOrchestratorService(r => r.Resource switch
        {
            "Jobs()" => Ok(Feed("Jobs", poll == 1 ? [JobEntry(JobId, Cleanup, Rb01)] : [JobEntry(JobId, newRunbook, Rb01)], count: 1)),
            "Runbooks" when ++runbookReads == 2 => Ok(Feed("Runbooks", [RunbookEntry(Cleanup, "Nightly cleanup", @"\M\Nightly cleanup"), RunbookEntry(newRunbook, "Fresh", @"\New\Fresh")], count: 2)),
            _ => Ok(Catalog(r)),
        });
        using var api = Api(service);

        poll = 1;
        await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);
        poll = 2;
        var jobs = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Fresh", Assert.Single(jobs).RunbookName);
        Assert.Equal(2, service.Requests.Count(r => r.Resource == "Runbooks"));
        Assert.Equal(1, service.Requests.Count(r => r.Resource == "RunbookServers"));
    }

    [Fact]
    public async Task A_next_link_is_followed_under_the_configured_host_instead_of_computing_skip()
    {
        // The service writes its own host name (orch-web01) into xml:base; we were configured with the FQDN.
        var root = new Uri("http://orch-web01.contoso.local:81/Orchestrator2012/Orchestrator.svc/");
        var next = ServiceBase + ActiveJobsQuery + "&$skiptoken=guid'8c5cb1bd-0f2b-4a5c-9f3e-2b1f9e4a1d11'";
        using var service = new FakeOrchestratorService(r => r.Resource == "Jobs()"
            ? r.Uri.Query.Contains("skiptoken", StringComparison.Ordinal)
                ? Ok(Feed("Jobs", [JobEntry(Guid.NewGuid(), Cleanup, Rb01)]))
                : Ok(Feed("Jobs", [JobEntry(JobId, Cleanup, Rb01)], nextHref: next))
            : Ok(Catalog(r)));
        using var api = Api(service, root: root);

        var jobs = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, jobs.Count);
        var jobRequests = service.Requests.Where(r => r.Resource == "Jobs()").ToList();
        Assert.Equal(2, jobRequests.Count);
        Assert.Equal("orch-web01.contoso.local", jobRequests[1].Uri.Host);
        Assert.Equal(RootPath + ActiveJobsQuery + "&$skiptoken=guid'8c5cb1bd-0f2b-4a5c-9f3e-2b1f9e4a1d11'", jobRequests[1].PathAndQuery);
    }

    [Fact]
    public async Task An_endless_next_link_loop_stops_at_MaxPages()
    {
        using var service = new FakeOrchestratorService(r => Ok(Feed("Jobs", [JobEntry(JobId, Cleanup, Rb01)], nextHref: "Jobs()?$skiptoken=1")));
        using var api = Api(service, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.Zero, MaxPages = 5 });

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("5 pages", ex.Message, StringComparison.Ordinal);
        Assert.Equal(5, service.Requests.Count);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused()
    {
        using var service = new FakeOrchestratorService(r => Ok(Feed("Jobs", [JobEntry(JobId, Cleanup, Rb01)], nextHref: "http://collector.example/Jobs")));
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.ListActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("outside the service", ex.Message, StringComparison.Ordinal);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task No_active_jobs_reads_no_catalog()
    {
        using var service = new FakeOrchestratorService(r => Ok(Feed("Jobs", [], count: 0)));
        using var api = Api(service);

        Assert.Empty(await api.ListActiveJobsAsync(TestContext.Current.CancellationToken));
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task GetJob_reads_one_entry_and_404_is_null()
    {
        var missing = Guid.NewGuid();
        using var service = new FakeOrchestratorService(r => r.Resource switch
        {
            var x when x == $"Jobs(guid'{JobId:D}')" => Ok(JobEntry(JobId, Cleanup, Rb02, status: "Completed", asRoot: true)),
            var x when x == $"Jobs(guid'{missing:D}')" => Xml(HttpStatusCode.NotFound, Error("Resource not found for the segment 'Jobs'.")),
            _ => Ok(Catalog(r)),
        });
        using var api = Api(service);

        var job = await api.GetJobAsync(JobId, TestContext.Current.CancellationToken);
        var none = await api.GetJobAsync(missing, TestContext.Current.CancellationToken);

        Assert.NotNull(job);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal("Nightly cleanup", job.RunbookName);
        Assert.Equal("ORCH-RB02", job.RunbookServer);
        Assert.Null(none);
        Assert.Equal(1, service.Requests.Count(r => r.Resource == $"Jobs(guid'{missing:D}')")); // 404 is not retried
    }

    /// <summary>A job that becomes Canceled once a MERGE is accepted; the answers to POSTs come from a script.</summary>
    private sealed class StoppableJob
    {
        private readonly Queue<HttpResponseMessage> _postAnswers;

        public StoppableJob(params HttpResponseMessage[] postAnswers) => _postAnswers = new(postAnswers);

        public string Status { get; set; } = "Running";
        public string LastModified { get; set; } = "2013-10-01T12:34:56.123";
        public string? EntryETag { get; init; }
        public string? HeaderETag { get; init; }

        public HttpResponseMessage Answer(RecordedRequest request)
        {
            if (request.Resource != $"Jobs(guid'{JobId:D}')")
            {
                return Ok(Catalog(request));
            }

            if (request.Method == "GET")
            {
                return Ok(JobEntry(JobId, Cleanup, Rb02, status: Status, lastModified: LastModified, etag: EntryETag, asRoot: true), HeaderETag);
            }

            var answer = _postAnswers.Dequeue();
            if (answer.StatusCode == HttpStatusCode.NoContent)
            {
                Status = "Canceled";
                LastModified = "2013-10-01T12:40:00.5";
            }

            return answer;
        }
    }

    [Fact]
    public async Task Stop_sends_the_documented_MERGE_with_the_jobs_entry_and_returns_the_reread_job()
    {
        var job = new StoppableJob(Status(HttpStatusCode.NoContent));
        using var service = new FakeOrchestratorService(job.Answer);
        using var api = Api(service);

        var stopped = await api.StopJobAsync(JobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobStatus.Canceled, stopped.Status);
        var jobRequests = service.Requests.Where(r => r.Resource.StartsWith("Jobs(", StringComparison.Ordinal)).Select(r => r.Method);
        Assert.Equal(["GET", "POST", "GET"], jobRequests);
        var post = Assert.Single(service.Requests, r => r.Method == "POST");
        Assert.Equal(RootPath + $"Jobs(guid'{JobId:D}')", post.PathAndQuery);
        Assert.Equal("MERGE", post.Header("X-HTTP-Method"));
        Assert.Equal("W/\"datetime'2013-10-01T12%3A34%3A56.123'\"", post.Header("If-Match"));
        Assert.Equal("application/atom+xml", post.Header("Content-Type"));
        Assert.Equal("application/atom+xml,application/xml", post.Header("Accept"));
        Assert.Equal("1.0;NetFx", post.Header("DataServiceVersion"));
        Assert.Equal("2.0;NetFx", post.Header("MaxDataServiceVersion"));

        var entry = XDocument.Parse(post.Body).Root!;
        Assert.Equal(AtomNs + "entry", entry.Name);
        Assert.Empty(entry.Descendants(AtomNs + "link"));
        Assert.Equal("2013-10-01T12:30:00.457Z", entry.Element(AtomNs + "published")?.Value);
        Assert.Equal("2013-10-01T12:34:56.123Z", entry.Element(AtomNs + "updated")?.Value);
        var properties = entry.Element(AtomNs + "content")!.Element(M + "properties")!;
        Assert.Equal("Canceled", properties.Element(D + "Status")?.Value);
        Assert.Equal(JobId.ToString("D"), properties.Element(D + "Id")?.Value);
        Assert.Equal("Edm.Guid", (string?)properties.Element(D + "Id")?.Attribute(M + "type"));
        Assert.Equal("Edm.DateTime", (string?)properties.Element(D + "LastModifiedTime")?.Attribute(M + "type"));
        Assert.Equal("true", (string?)properties.Element(D + "ParentId")?.Attribute(M + "null"));
        Assert.Equal("Edm.Guid", (string?)properties.Element(D + "ParentId")?.Attribute(M + "type"));
        Assert.Equal("true", (string?)properties.Element(D + "Parameters")?.Attribute(M + "null"));
        Assert.Equal(12, properties.Elements().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stop_uses_an_etag_the_service_sent_verbatim(bool inEntry)
    {
        const string etag = "W/\"X'0000000000A1B2C3'\"";
        var job = new StoppableJob(Status(HttpStatusCode.NoContent)) { EntryETag = inEntry ? etag : null, HeaderETag = inEntry ? null : etag };
        using var service = new FakeOrchestratorService(job.Answer);
        using var api = Api(service);

        await api.StopJobAsync(JobId, TestContext.Current.CancellationToken);

        Assert.Equal(etag, Assert.Single(service.Requests, r => r.Method == "POST").Header("If-Match"));
    }

    [Fact]
    public async Task Stop_after_412_rereads_the_job_and_tries_once_more_with_the_new_etag()
    {
        var job = new StoppableJob(Xml(HttpStatusCode.PreconditionFailed, Error("The etag value in the request header does not match with the current etag value of the object.")), Status(HttpStatusCode.NoContent));
        using var service = new FakeOrchestratorService(r =>
        {
            var answer = job.Answer(r);
            if (r.Method == "POST" && answer.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                job.LastModified = "2013-10-01T12:35:01.7"; // the job moved on meanwhile
            }

            return answer;
        });
        using var api = Api(service);

        var stopped = await api.StopJobAsync(JobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobStatus.Canceled, stopped.Status);
        var jobRequests = service.Requests.Where(r => r.Resource.StartsWith("Jobs(", StringComparison.Ordinal)).ToList();
        Assert.Equal(["GET", "POST", "GET", "POST", "GET"], jobRequests.Select(r => r.Method));
        Assert.Equal("W/\"datetime'2013-10-01T12%3A34%3A56.123'\"", jobRequests[1].Header("If-Match"));
        Assert.Equal("W/\"datetime'2013-10-01T12%3A35%3A01.7'\"", jobRequests[3].Header("If-Match"));
        Assert.Contains("<updated>2013-10-01T12:35:01.7Z</updated>", jobRequests[3].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_gives_up_after_a_second_412()
    {
        var job = new StoppableJob(Status(HttpStatusCode.PreconditionFailed), Status(HttpStatusCode.PreconditionFailed));
        using var service = new FakeOrchestratorService(job.Answer);
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.StopJobAsync(JobId, TestContext.Current.CancellationToken));

        Assert.Equal(412, ex.StatusCode);
        Assert.Equal(2, service.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Stop_answered_400_is_not_retried_and_carries_the_services_message()
    {
        const string message = "The requested operation is not valid for the job. The only valid transition is to change a running job to Canceled.";
        var job = new StoppableJob(Xml(HttpStatusCode.BadRequest, Error(message)));
        using var service = new FakeOrchestratorService(job.Answer);
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.StopJobAsync(JobId, TestContext.Current.CancellationToken));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Single(service.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Stop_of_a_job_that_already_ended_sends_no_MERGE()
    {
        var job = new StoppableJob() { Status = "Completed" };
        using var service = new FakeOrchestratorService(job.Answer);
        using var api = Api(service);

        var ended = await api.StopJobAsync(JobId, TestContext.Current.CancellationToken);

        Assert.Equal(JobStatus.Completed, ended.Status);
        Assert.DoesNotContain(service.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Stop_of_a_job_that_does_not_exist_is_a_404_error()
    {
        using var service = new FakeOrchestratorService(r => Xml(HttpStatusCode.NotFound, Error("Resource not found")));
        using var api = Api(service);

        var ex = await Assert.ThrowsAsync<OrchestratorApiException>(() => api.StopJobAsync(JobId, TestContext.Current.CancellationToken));

        Assert.Equal(404, ex.StatusCode);
        Assert.DoesNotContain(service.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Start_posts_the_runbook_id_and_returns_the_created_job()
    {
        var created = Guid.NewGuid();
        using var service = new FakeOrchestratorService(r => (r.Method, r.Resource) switch
        {
            ("POST", "Jobs") => Xml(HttpStatusCode.Created, JobEntry(created, Monitor, null, status: "Pending", runbookServers: null, asRoot: true)),
            _ => Ok(Catalog(r)),
        });
        using var api = Api(service);

        var job = await api.StartJobAsync(Monitor, TestContext.Current.CancellationToken);

        Assert.Equal(created, job.Id);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal("Monitor AD", job.RunbookName);
        Assert.Null(job.RunbookServer);
        var post = Assert.Single(service.Requests, r => r.Method == "POST");
        Assert.Equal(RootPath + "Jobs", post.PathAndQuery);
        Assert.Equal("application/atom+xml", post.Header("Content-Type"));
        var runbookId = XDocument.Parse(post.Body).Root!.Element(AtomNs + "content")!.Element(M + "properties")!.Element(D + "RunbookId")!;
        Assert.Equal(Monitor.ToString("D"), runbookId.Value);
        Assert.Equal("Edm.Guid", (string?)runbookId.Attribute(M + "type"));
        Assert.DoesNotContain(service.Requests, r => r.Resource == "RunbookServers"); // a pending job names no server
    }

    [Fact]
    public void Description_is_the_service_root_with_a_trailing_slash()
    {
        using var service = new FakeOrchestratorService(_ => Status(HttpStatusCode.OK));
        using var api = Api(service, root: new Uri("http://orch-web01:81/Orchestrator2012/Orchestrator.svc"));
        Assert.Equal(ServiceBase, api.Description);
    }
}
