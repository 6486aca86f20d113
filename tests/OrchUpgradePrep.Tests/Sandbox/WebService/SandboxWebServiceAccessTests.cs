using System.Net;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;
using static OrchUpgradePrep.Tests.Sandbox.WebService.SandboxWebServiceFixture;

namespace OrchUpgradePrep.Tests.Sandbox.WebService;

/// <summary>Credentials, injected faults (503, dropped connections, latency on the sandbox clock) and the audit log.</summary>
public sealed class SandboxWebServiceAccessTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("orchprep", "wrong")]
    [InlineData("someone", "sandbox")]
    public async Task MissingOrWrongCredentials_Are401OfferingNegotiateNtlmAndBasic(string? user, string? password)
    {
        await using var fixture = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "Jobs");
        request.Headers.Authorization = user is null ? null : Basic(user, password!);
        fixture.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            ["Negotiate", "NTLM", "Basic realm=\"Orchestrator sandbox\""],
            response.Headers.WwwAuthenticate.Select(h => h.ToString()));
    }

    [Fact]
    public async Task Unauthorized_Merge_ChangesNothing()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");
        fixture.Client.DefaultRequestHeaders.Authorization = Basic("orchprep", "nope");

        using var response = await fixture.MergeAsync(job.Id, null, StatusEntry("Canceled"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(fixture.Orchestrator.Changes);
    }

    [Fact]
    public async Task FailEvery2_Answers503OnEverySecondRequest()
    {
        await using var fixture = await StartAsync(new SandboxWebServiceOptions { Faults = new SandboxWebServiceFaults { FailEvery = 2 } });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await fixture.Client.GetAsync("RunbookServers", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable],
            statuses);
    }

    [Fact]
    public async Task ResetEvery2_DropsEverySecondConnection_AndHttpClientThrows()
    {
        // A fresh connection per request: on a reused one SocketsHttpHandler would silently retry the dropped request.
        await using var fixture = await StartAsync(new SandboxWebServiceOptions { Faults = new SandboxWebServiceFaults { ResetEvery = 2 } });
        var outcomes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "Runbooks");
            request.Headers.ConnectionClose = true;
            try
            {
                using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
                outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (HttpRequestException)
            {
                outcomes.Add("reset");
            }
        }

        Assert.Equal(["200", "reset", "200", "reset"], outcomes);
        Assert.Equal([200, 0, 200, 0], fixture.Service.Audit.Select(a => a.StatusCode));
    }

    [Fact]
    public async Task Latency_WaitsOnTheSandboxClock()
    {
        await using var fixture = await StartAsync(new SandboxWebServiceOptions { Faults = new SandboxWebServiceFaults { Latency = TimeSpan.FromSeconds(30) } });

        var pending = fixture.Client.GetAsync("RunbookServers", TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);

        // The request may reach its timer only after an Advance; keep the clock moving until it answers (bounded).
        for (var i = 0; i < 200 && !pending.IsCompleted; i++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromMilliseconds(25), TestContext.Current.CancellationToken);
        }

        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dispose_EndsARequestStillWaitingOutItsLatency()
    {
        var fixture = await StartAsync(new SandboxWebServiceOptions { Faults = new SandboxWebServiceFaults { Latency = TimeSpan.FromHours(1) } });
        var pending = fixture.Client.GetAsync("Jobs", TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await fixture.Service.DisposeAsync();
        stopped.Stop();

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {stopped.Elapsed}");
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Audit_RecordsGetsAsReadsAndTheMergeAsAWrite()
    {
        await using var fixture = await StartAsync();
        var job = fixture.Orchestrator.Jobs().First(j => j.Status == "Running");
        using (await fixture.Client.GetAsync("Jobs()?$filter=Status%20eq%20'Running'&$inlinecount=allpages", TestContext.Current.CancellationToken))
        {
        }

        using (await fixture.MergeAsync(job.Id, ETag(job.LastModifiedTime), StatusEntry("Canceled")))
        {
        }

        var audit = fixture.Service.Audit;
        Assert.Equal(2, audit.Count);
        Assert.Equal(("GET", false, 200), (audit[0].Method, audit[0].IsWrite, audit[0].StatusCode));
        Assert.Equal("/Orchestrator2012/Orchestrator.svc/Jobs()?$filter=Status%20eq%20'Running'&$inlinecount=allpages", audit[0].PathAndQuery);
        Assert.Equal(("MERGE", true, 204), (audit[1].Method, audit[1].IsWrite, audit[1].StatusCode));
        Assert.Equal($"/Orchestrator2012/Orchestrator.svc/Jobs(guid'{job.Id}')", audit[1].PathAndQuery);
        Assert.Equal([1L, 2L], audit.Select(a => a.Sequence));
    }

    [Fact]
    public async Task ServiceRoot_IsLoopbackWithTheOrchestratorPath()
    {
        await using var fixture = await StartAsync();

        Assert.Equal($"http://127.0.0.1:{fixture.Service.Port}/Orchestrator2012/Orchestrator.svc/", fixture.Service.ServiceRoot.ToString());
        Assert.NotEqual(0, fixture.Service.Port);
    }
}
