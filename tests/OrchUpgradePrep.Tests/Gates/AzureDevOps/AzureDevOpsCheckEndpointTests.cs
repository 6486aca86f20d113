using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Gates.AzureDevOps;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.AzureDevOps;

/// <summary>The real gate service against a fake Azure DevOps API on loopback: what the check sees, and what Azure DevOps hears.</summary>
public sealed class AzureDevOpsCheckEndpointTests
{
    private static readonly IReadOnlyDictionary<string, GateEnvironment> FakeEnvironments =
        GateSettings.ParseEnvironments("orchestrator-prod=prod, orchestrator-test=test, orchestrator-dev=dev");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Json(RecordedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    private static RecordedRequest Event(IEnumerable<RecordedRequest> requests) => Assert.Single(requests, r => r.Path.EndsWith("/events", StringComparison.Ordinal));

    [Fact]
    public async Task AMetEnvironment_IsAnswered200_ThenTheSummaryIsLoggedAttachedAndTaskCompletedSucceeded()
    {
        var work = Directory.CreateTempSubdirectory("orchprep-azdo-");
        var check = new RecordingCheck(AzureDevOpsGateHarness.RealCheck(work.FullName));
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, AzureDevOpsGateHarness.SandboxEnvironments, Ct);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("trial", plan), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("accepted", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString());
        await harness.DrainAsync(Ct);

        var requests = harness.RequestsFor(plan);
        Assert.Equal(
            [
                ("POST", plan.PlanPath + "/logs", "?api-version=4.1"),
                ("POST", plan.PlanPath + $"/logs/{FakeAzureDevOpsApi.LogId}", "?api-version=4.1"),
                ("PATCH", plan.PlanPath + $"/timelines/{plan.TimelineId:D}/records", "?api-version=4.1"),
                ("POST", plan.PlanPath + "/events", "?api-version=7.1"),
            ],
            requests.Select(r => (r.Method, r.Path, r.Query)));
        Assert.All(requests, r => Assert.Equal(("Bearer", AzureDevOpsGateHarness.Token), (AzureDevOpsGateHarness.Bearer(r)!.Scheme, AzureDevOpsGateHarness.Bearer(r)!.Parameter)));

        Assert.Equal("orchprep.md", Json(requests[0]).GetProperty("path").GetString());
        var result = Assert.Single(check.Results);
        Assert.True(result.Approves);
        Assert.StartsWith("application/octet-stream", requests[1].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains(result.Summary.Split('\n')[0], requests[1].Body, StringComparison.Ordinal);

        var record = Assert.Single(Json(requests[2]).GetProperty("value").EnumerateArray());
        Assert.Equal(plan.TaskInstanceId, record.GetProperty("id").GetGuid());
        Assert.Equal(FakeAzureDevOpsApi.LogId, record.GetProperty("log").GetProperty("id").GetInt32());

        var completed = Json(requests[3]);
        Assert.Equal("TaskCompleted", completed.GetProperty("name").GetString());
        Assert.Equal(plan.TaskInstanceId, completed.GetProperty("taskId").GetGuid());
        Assert.Equal(plan.JobId, completed.GetProperty("jobId").GetGuid());
        Assert.Equal("succeeded", completed.GetProperty("result").GetString());
        Assert.DoesNotContain(AzureDevOpsGateHarness.Token, harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnmetEnvironment_CompletesFailed_AndTheLogNamesTheUnmetChecks()
    {
        var work = Directory.CreateTempSubdirectory("orchprep-azdo-");
        var check = new RecordingCheck(AzureDevOpsGateHarness.RealCheck(work.FullName));
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, AzureDevOpsGateHarness.SandboxEnvironments, Ct);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("unmet", plan), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await harness.DrainAsync(Ct);

        var result = Assert.Single(check.Results);
        Assert.Equal(RunOutcome.Unmet, result.Outcome);
        var unmet = result.Report!.Checks.Where(c => c.Status == CheckStatus.Unmet).Select(c => c.Id).Distinct().ToList();
        Assert.NotEmpty(unmet);
        var requests = harness.RequestsFor(plan);
        var appended = Assert.Single(requests, r => r.Path.EndsWith($"/logs/{FakeAzureDevOpsApi.LogId}", StringComparison.Ordinal));
        Assert.All(unmet, id => Assert.Contains(id, appended.Body, StringComparison.Ordinal));
        Assert.Equal("failed", Json(Event(requests)).GetProperty("result").GetString());
    }

    public static TheoryData<string?> WrongCredentials => new()
    {
        { (string?)null },
        { AzureDevOpsGateHarness.Basic("azdo", "not-the-secret") },
        { AzureDevOpsGateHarness.Basic("azdo", AzureDevOpsGateHarness.Secret + "x") },
        { AzureDevOpsGateHarness.Basic(AzureDevOpsGateHarness.Secret, "") },
        { "Bearer " + AzureDevOpsGateHarness.Secret },
        { "Basic not~base64" },
    };

    [Theory]
    [MemberData(nameof(WrongCredentials))]
    public async Task AMissingOrWrongSecret_Is401_AndNothingIsCheckedOrSent(string? authorization)
    {
        var check = new CountingCheck(TimeSpan.Zero);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        using var request = harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), authorization ?? "");
        if (authorization is null)
        {
            request.Headers.Remove("Authorization");
        }

        using var response = await harness.SendAsync(request, Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("refused a request from 127.0.0.1: missing or wrong Basic credentials (401)", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Empty(check.Runs);
        Assert.Empty(harness.Api.Requests);
        Assert.Equal(0, harness.Work.Count);
        Assert.Contains("(401)", harness.ServiceLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureDevOpsGateHarness.Secret, harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyUserName_WithTheSecretAsPassword_IsAccepted()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);

        using var response = await harness.SendAsync(
            harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), AzureDevOpsGateHarness.Basic("", AzureDevOpsGateHarness.Secret)), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MissingPlanHeaders_Are400NamingThem_AndNothingIsSent()
    {
        var check = new CountingCheck(TimeSpan.Zero);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), null, null, "JobId", "TaskInstanceId"), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString();
        Assert.StartsWith("missing headers: JobId, TaskInstanceId", error, StringComparison.Ordinal);
        Assert.Empty(check.Runs);
        Assert.Empty(harness.Api.Requests);
        Assert.DoesNotContain(AzureDevOpsGateHarness.Token, harness.ServiceLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://dev.azure.com/org/", "PlanUrl is not an absolute http(s) URL")]
    [InlineData("/org/", "PlanUrl is not an absolute http(s) URL")]
    public async Task ABadPlanUrl_Is400(string planUrl, string expected)
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        using var request = harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), without: "PlanUrl");
        request.Headers.TryAddWithoutValidation("PlanUrl", planUrl);

        using var response = await harness.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTimelineId_TheDecisionIsStillSent_NoLogIsPosted_AndTheServiceLogSaysWhy()
    {
        var check = new CountingCheck(TimeSpan.Zero);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        // Microsoft's minimal header set: PlanUrl, ProjectId, HubName, PlanId, JobId, TaskInstanceId, AuthToken.
        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan, without: ["TimelineId", "BuildId"]), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(harness.RequestsFor(plan));
        Assert.Equal(("POST", plan.PlanPath + "/events"), (sent.Method, sent.Path));
        Assert.Equal("succeeded", Json(sent).GetProperty("result").GetString());
        Assert.Equal(plan.TaskInstanceId, Json(sent).GetProperty("taskId").GetGuid());
        Assert.Contains("no TimelineId header", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Contains("the summary is not posted to the check's log", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Contains("TaskCompleted succeeded", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedTimelineId_Is400NamingIt()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        using var request = harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), without: "TimelineId");
        request.Headers.TryAddWithoutValidation("TimelineId", "not-a-guid");

        using var response = await harness.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("TimelineId is not a GUID", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(harness.Api.Requests);
    }

    public static TheoryData<string> ForeignPlanUrls => new()
    {
        "https://evil.example/org/",
        "https://dev.azure.com.evil.example/org/",
        "https://visualstudio.com.evil.example/org/",
        "https://evilvisualstudio.com/org/",
        "http://dev.azure.com/org/",
        "https://dev.azure.com:8443/org/",
        "OUTSIDER",
    };

    [Theory]
    [MemberData(nameof(ForeignPlanUrls))]
    public async Task APlanUrlThatIsNotAnAzureDevOpsHost_Is400_AndNothingIsCheckedOrSentAnywhere(string planUrl)
    {
        var check = new CountingCheck(TimeSpan.Zero);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        // A second recording API on loopback that is not listed: where a forged PlanUrl would send the token and the report.
        await using var outsider = await FakeAzureDevOpsApi.StartAsync(Ct);
        var plan = PlanHeaders.New();
        var url = planUrl == "OUTSIDER" ? outsider.CollectionUri : new Uri(planUrl);

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan, planUrl: url), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString();
        Assert.Contains("is not an Azure DevOps host", error, StringComparison.Ordinal);
        Assert.Contains("ORCHPREP_AZDO_SERVER_URLS", error, StringComparison.Ordinal);
        Assert.Empty(outsider.Requests);
        Assert.Empty(harness.Api.Requests);
        Assert.Empty(check.Runs);
        Assert.Equal(0, harness.Work.Count);
        Assert.Contains("from 127.0.0.1", harness.ServiceLog, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Token, harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlanUrlTheServerListAllows_IsServed()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        // The harness lists the fake's origin, as ORCHPREP_AZDO_SERVER_URLS=http://127.0.0.1:<port> would.
        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", Json(Event(harness.RequestsFor(plan))).GetProperty("result").GetString());
    }

    [Fact]
    public async Task APlanUrlWithoutItsTrailingSlash_GetsOne()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(
            harness.CheckRequest("orchestrator-prod", plan, planUrl: new Uri(harness.Api.CollectionUri.ToString().TrimEnd('/'))), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", Json(Event(harness.RequestsFor(plan))).GetProperty("result").GetString());
    }

    [Fact]
    public async Task TheAnswerComes_BeforeTheCheckHasFinished()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(TimeSpan.Zero) { Hold = hold };
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        var clock = Stopwatch.StartNew();
        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        clock.Stop();
        await check.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(harness.Api.Requests);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        hold.SetResult();
        await harness.DrainAsync(Ct);
        Assert.Equal("succeeded", Json(Event(harness.RequestsFor(plan))).GetProperty("result").GetString());
    }

    [Fact]
    public async Task AnUnknownEnvironment_CompletesFailed_WithALogSayingItIsNotMapped()
    {
        var check = new CountingCheck(TimeSpan.Zero);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-staging", plan), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(check.Runs);
        var requests = harness.RequestsFor(plan);
        var appended = Assert.Single(requests, r => r.Path.EndsWith($"/logs/{FakeAzureDevOpsApi.LogId}", StringComparison.Ordinal));
        Assert.Contains("'orchestrator-staging' is not mapped in ORCHPREP_GATE_ENVIRONMENTS", appended.Body, StringComparison.Ordinal);
        Assert.Equal("failed", Json(Event(requests)).GetProperty("result").GetString());
        Assert.Contains("not mapped", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckThatTimesOut_CompletesFailed()
    {
        var check = new CountingCheck(Timeout.InfiniteTimeSpan);
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct, checkTimeout: TimeSpan.FromMilliseconds(300));
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        var requests = harness.RequestsFor(plan);
        Assert.Contains("did not finish within", Assert.Single(requests, r => r.Path.Contains("/logs/", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        Assert.Equal("failed", Json(Event(requests)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task ACheckThatCrashes_CompletesFailed()
    {
        var check = new CountingCheck(TimeSpan.Zero, _ => throw new InvalidOperationException("config vanished"));
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        var requests = harness.RequestsFor(plan);
        Assert.Contains("config vanished", Assert.Single(requests, r => r.Path.Contains("/logs/", StringComparison.Ordinal)).Body, StringComparison.Ordinal);
        Assert.Equal("failed", Json(Event(requests)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task ATransient503OnTheEvent_IsRetried_ThenSucceeds()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        harness.Api.Script((r, before) => r.Path.EndsWith("/events", StringComparison.Ordinal) && before < 2 ? new FakeAnswer(503) : null);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        var events = harness.RequestsFor(plan).Where(r => r.Path.EndsWith("/events", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal("succeeded", Json(e).GetProperty("result").GetString()));
        Assert.Contains("TaskCompleted succeeded", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429_IsRetried_AfterItsRetryAfter()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        var times = new List<DateTime>();
        harness.Api.Script((r, before) =>
        {
            if (!r.Path.EndsWith("/events", StringComparison.Ordinal))
            {
                return null;
            }

            lock (times)
            {
                times.Add(DateTime.UtcNow);
            }

            return before == 0 ? new FakeAnswer(429, "", new Dictionary<string, string> { ["Retry-After"] = "1" }) : null;
        });
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"retried after {times[1] - times[0]}");
        Assert.Contains("TaskCompleted succeeded", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A401FromTheApi_IsNotRetried_AndIsLoggedWithItsStatus()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        harness.Api.Script((r, _) => r.Path.EndsWith("/events", StringComparison.Ordinal) ? new FakeAnswer(401, """{"message":"token expired"}""") : null);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        Assert.Single(harness.RequestsFor(plan), r => r.Path.EndsWith("/events", StringComparison.Ordinal));
        Assert.Contains("could not send TaskCompleted succeeded", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", harness.ServiceLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureDevOpsGateHarness.Token, harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALogAppendThatFails_StillSendsTaskCompleted()
    {
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct);
        harness.Api.Script((r, _) => r.Path.Contains("/logs/", StringComparison.Ordinal) ? new FakeAnswer(500) : null);
        var plan = PlanHeaders.New();

        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        await harness.DrainAsync(Ct);

        var requests = harness.RequestsFor(plan);
        Assert.Equal(1 + AzureDevOpsGateHarness.FastOptions.MaxRetries, requests.Count(r => r.Path.Contains("/logs/", StringComparison.Ordinal)));
        Assert.DoesNotContain(requests, r => r.Method == "PATCH");
        Assert.Equal("succeeded", Json(Event(requests)).GetProperty("result").GetString());
        Assert.Contains("could not post the summary", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableApi_StillEndsTheDecision_WithinItsDeadline()
    {
        var options = AzureDevOpsGateHarness.FastOptions with { RequestTimeout = TimeSpan.FromSeconds(2), MaxRetries = 1 };
        await using var harness = await AzureDevOpsGateHarness.StartAsync(new CountingCheck(TimeSpan.Zero), FakeEnvironments, Ct, options: options,
            moreServerOrigins: [new Uri("http://127.0.0.1:9/")]);
        var plan = PlanHeaders.New();

        // Port 9 on loopback: nothing listens, the connection is refused.
        using var response = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan, planUrl: new Uri("http://127.0.0.1:9/org/")), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("could not send TaskCompleted succeeded", harness.ServiceLog, StringComparison.Ordinal);
        Assert.Contains("cannot reach http://127.0.0.1:9", harness.ServiceLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftyConcurrentChecks_OverThreeEnvironments_AreAllAnswered200_AndEachEnvironmentIsCheckedOneAtATime()
    {
        var check = new CountingCheck(TimeSpan.FromMilliseconds(150));
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        var environments = new[] { "orchestrator-prod", "orchestrator-test", "orchestrator-dev" };
        var plans = Enumerable.Range(0, 50).Select(i => (Environment: environments[i % 3], Plan: PlanHeaders.New($"token-{i:D2}-{Guid.NewGuid():N}"))).ToList();

        var responses = await Task.WhenAll(plans.Select(async p =>
        {
            using var response = await harness.SendAsync(harness.CheckRequest(p.Environment, p.Plan), Ct);
            return response.StatusCode;
        }));
        await harness.DrainAsync(Ct);

        Assert.All(responses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(["config:dev", "config:prod", "config:test"], check.MostAtOnce.Keys.Order());
        Assert.All(check.MostAtOnce.Values, most => Assert.Equal(1, most));
        foreach (var (_, plan) in plans)
        {
            var completed = Json(Event(harness.RequestsFor(plan)));
            Assert.Equal("succeeded", completed.GetProperty("result").GetString());
            Assert.Equal(plan.JobId, completed.GetProperty("jobId").GetGuid());
            Assert.All(harness.RequestsFor(plan), r => Assert.Equal(plan.Token, AzureDevOpsGateHarness.Bearer(r)!.Parameter));
            Assert.DoesNotContain(plan.Token, harness.ServiceLog, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheAuthToken_NeverAppearsInTheServiceLog_NorInThePostedLog()
    {
        // A check whose summary quotes the token (as a careless error message might) and an API that fails with it in its answer.
        var check = new CountingCheck(TimeSpan.Zero, e => GateCheckResult.Failed(e.ToString(), $"upstream said: bad token {AzureDevOpsGateHarness.Token}"));
        await using var harness = await AzureDevOpsGateHarness.StartAsync(check, FakeEnvironments, Ct);
        harness.Api.Script((r, _) => r.Path.EndsWith("/events", StringComparison.Ordinal)
            ? new FakeAnswer(400, $$"""{"message":"bad token {{AzureDevOpsGateHarness.Token}}"}""")
            : null);
        var plan = PlanHeaders.New();

        using var accepted = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", plan), Ct);
        using var refused = await harness.SendAsync(harness.CheckRequest("orchestrator-prod", PlanHeaders.New(), without: "JobId"), Ct);
        await harness.DrainAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("HTTP 400", harness.ServiceLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureDevOpsGateHarness.Token, harness.ServiceLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureDevOpsGateHarness.Secret, harness.ServiceLog, StringComparison.Ordinal);
        var appended = Assert.Single(harness.RequestsFor(plan), r => r.Path.Contains("/logs/", StringComparison.Ordinal));
        Assert.DoesNotContain(AzureDevOpsGateHarness.Token, appended.Body, StringComparison.Ordinal);
        Assert.Contains("bad token ***", appended.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEndpoint_IsServedOnlyWhenItsSecretIsSet()
    {
        using var work = new GateBackgroundWork(new GateLog(TextWriter.Null, new SecretMasker(), TimeProvider.System));
        var log = new GateLog(TextWriter.Null, new SecretMasker(), TimeProvider.System);
        var gate = new EnvironmentGate(new CountingCheck(TimeSpan.Zero), TimeProvider.System, TimeSpan.FromMinutes(1));

        Assert.Empty(GateEndpoints.Create(new GateSettings(), gate, work, log, TimeProvider.System));
        var endpoint = Assert.Single(GateEndpoints.Create(new GateSettings { AzureDevOpsSecret = "s" }, gate, work, log, TimeProvider.System));
        Assert.Equal("/azure-devops/check/{environment}", endpoint.Route);
        Assert.IsType<AzureDevOpsCheckEndpoint>(endpoint);
    }
}
