using System.IO.Abstractions;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Cli.Commands.Gate;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

/// <summary>The GitHub App endpoint of `orchprep gate serve`, end to end against a fake GitHub API on loopback.</summary>
public sealed class GitHubWebhookEndpointTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-gate-github-");

    public void Dispose() => _work.Delete(recursive: true);

    private CliGateCheck RealCheck() => new(new CliEnvironment
    {
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        GetEnvironmentVariable = _ => null,
        FileSystem = new FileSystem(),
        CurrentDirectory = _work.FullName,
        Time = TimeProvider.System,
        LocalMachineName = "gate-test",
    }, configPath: null, Path.Combine(_work.FullName, "reports"));

    private static CountingCheck Answers(GateCheckResult result) => new((_, _) => Task.FromResult(result));

    [Fact]
    public async Task MetEnvironment_IsApproved_WithASuccessfulCheckRunLinkedInTheComment()
    {
        await using var gate = await GitHubGateHarness.StartAsync(RealCheck(), "orchestrator-trial=sandbox:ready");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-trial"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await gate.DrainAsync();

        var create = Assert.Single(gate.Api.CheckRunCreates);
        Assert.Equal("/api/v3/repos/contoso/orchestrator-upgrade/check-runs", create.Path);
        Assert.Equal("abc123def456", create.Json.GetProperty("head_sha").GetString());
        Assert.Equal("completed", create.Json.GetProperty("status").GetString());
        Assert.Equal("success", create.Json.GetProperty("conclusion").GetString());
        Assert.Contains("orchprep", create.Json.GetProperty("output").GetProperty("summary").GetString());
        // The ready scenario has one warning: it is annotated as a warning, nothing as a failure.
        var levels = create.Json.GetProperty("output").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("annotation_level").GetString()).ToList();
        Assert.All(levels, l => Assert.Equal("warning", l));

        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("/api/v3/repos/contoso/orchestrator-upgrade/actions/runs/1001/deployment_protection_rule", review.Path);
        Assert.Equal("orchestrator-trial", review.Json.GetProperty("environment_name").GetString());
        Assert.Equal("approved", review.Json.GetProperty("state").GetString());
        var comment = review.Json.GetProperty("comment").GetString()!;
        Assert.Contains("https://github.example/contoso/orchestrator-upgrade/runs/1", comment);
        Assert.Matches("[1-9][0-9]* met, 0 unmet", comment);
        Assert.StartsWith("Bearer ghs_fakeInstallationToken", review.Authorization);
    }

    [Fact]
    public async Task UnmetEnvironment_IsRejected_WithFailureAnnotationsNamingTheUnmetChecks()
    {
        await using var gate = await GitHubGateHarness.StartAsync(RealCheck(), "orchestrator-old=sandbox:requirements-unmet");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-old"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await gate.DrainAsync();

        var create = Assert.Single(gate.Api.CheckRunCreates);
        Assert.Equal("failure", create.Json.GetProperty("conclusion").GetString());
        var failures = create.Json.GetProperty("output").GetProperty("annotations").EnumerateArray()
            .Where(a => a.GetProperty("annotation_level").GetString() == "failure").ToList();
        Assert.Contains(failures, a => a.GetProperty("title").GetString()!.StartsWith("requirements.", StringComparison.Ordinal));
        Assert.All(failures, a =>
        {
            Assert.Matches("^[a-z]+\\.[a-z0-9-]+ on ", a.GetProperty("title").GetString());
            Assert.Equal("orchprep.yml", a.GetProperty("path").GetString());
            Assert.Equal(1, a.GetProperty("start_line").GetInt32());
            Assert.Matches("^(unmet|error): ", a.GetProperty("message").GetString());
        });
        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("rejected", review.Json.GetProperty("state").GetString());
        // The comment's count of unmet checks is the number of unmet annotations.
        var unmet = failures.Count(a => a.GetProperty("message").GetString()!.StartsWith("unmet: ", StringComparison.Ordinal));
        Assert.Contains($" {unmet} unmet", review.Json.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task MoreThanFiftyAnnotations_AreSentFiftyPerRequest_CreateThenUpdates()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Unmet, unmet: 120));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        var create = Assert.Single(gate.Api.CheckRunCreates);
        Assert.Equal(2, gate.Api.CheckRunUpdates.Count);
        int Annotations(RecordedRequest r) => r.Json.GetProperty("output").GetProperty("annotations").GetArrayLength();
        Assert.Equal([50, 50, 20], new[] { create }.Concat(gate.Api.CheckRunUpdates).Select(Annotations).ToArray());
        Assert.All(gate.Api.CheckRunUpdates, u => Assert.Equal("/api/v3/repos/contoso/orchestrator-upgrade/check-runs/1", u.Path));
        var titles = new[] { create }.Concat(gate.Api.CheckRunUpdates)
            .SelectMany(r => r.Json.GetProperty("output").GetProperty("annotations").EnumerateArray())
            .Select(a => a.GetProperty("title").GetString()).ToHashSet();
        Assert.Equal(120, titles.Count);
        Assert.Equal("rejected", Assert.Single(gate.Api.Reviews).Json.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(null)]
    [InlineData("sha1=abcdef")]
    public async Task UnsignedOrWronglySignedWebhook_Is401_AndReachesNothing(string? signature)
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"), signature: signature);
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(gate.Api.Requests);
        Assert.Equal(0, check.Runs);
        // Who tried: the socket's address (X-Forwarded-For is caller-written and not logged).
        Assert.Contains("refused a request from 127.0.0.1: missing or wrong X-Hub-Signature-256 (401)", gate.Log);
    }

    [Fact]
    public async Task BodySignedWithTheSecretButAlteredAfterwards_Is401()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var body = gate.Payload("orchestrator-prod");
        var signature = OrchUpgradePrep.Gates.GitHub.WebhookSignature.Sign(GitHubGateHarness.Secret, body);
        body[^2] = (byte)' ';

        using var response = await gate.SendAsync(body, signature: signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(gate.Api.Requests);
    }

    [Fact]
    public async Task OversizedBody_Is413_AndReachesNothing()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', (int)GateSettings.MaxBodyBytes) + "\"}");

        using var response = await gate.SendAsync(body);
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(gate.Api.Requests);
        Assert.Equal(0, check.Runs);
    }

    [Fact]
    public async Task PingAndOtherEvents_AreAnsweredAndIgnored()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");

        using var ping = await gate.SendAsync("{\"zen\":\"Keep it logically awesome.\"}"u8.ToArray(), kind: "ping");
        using var push = await gate.SendAsync("{\"ref\":\"refs/heads/main\"}"u8.ToArray(), kind: "push");
        using var otherAction = await gate.SendAsync(GitHubGateHarness.Payload("orchestrator-prod", gate.Api.CallbackUrl("contoso", "r", 1), action: "completed"));
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, push.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, otherAction.StatusCode);
        Assert.Empty(gate.Api.Requests);
        Assert.Equal(0, check.Runs);
    }

    [Fact]
    public async Task ReplayedDelivery_IsAnswered2xx_AndNotCheckedAgain()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var body = gate.Payload("orchestrator-prod");

        using var first = await gate.SendAsync(body, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        await gate.DrainAsync();
        using var replay = await gate.SendAsync(body, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, check.Runs);
        Assert.Single(gate.Api.Reviews);
        Assert.Contains("replay", gate.Log);
    }

    [Fact]
    public async Task RejectionComment_NamesTheFirstTenUnmetAndErrorChecks_ThenHowManyMore_AndLinksTheCheckRun()
    {
        var result = CountingCheck.Result(RunOutcome.Unmet, unmet: 12);
        result = result with
        {
            Report = result.Report! with
            {
                Checks = [.. result.Report.Checks, CountingCheck.Check("backup.verifyonly", CheckStatus.Error, "orch-sql01"), CountingCheck.Check("runbooks.no-running-jobs", CheckStatus.Error, "orch-rb02")],
            },
        };
        await using var gate = await GitHubGateHarness.StartAsync(Answers(result), "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("rejected", review.Json.GetProperty("state").GetString());
        var comment = review.Json.GetProperty("comment").GetString()!;
        Assert.Contains("12 unmet", comment);
        Assert.Contains("2 error(s)", comment);
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains($"restart.signal-{i:000} on orch-ms01 (unmet)", comment);
        }

        Assert.DoesNotContain("restart.signal-010", comment);
        Assert.DoesNotContain("backup.verifyonly", comment); // an error check, after the unmet ones: counted in "more"
        Assert.Contains("and 4 more.", comment);
        Assert.EndsWith("Report: https://github.example/contoso/orchestrator-upgrade/runs/1", comment);
        Assert.InRange(comment.Length, 1, OrchUpgradePrep.Gates.GitHub.DeploymentReviewClient.MaxCommentChars);
    }

    [Fact]
    public async Task RejectionComment_NamesErrorChecksToo_AndStaysWithinGitHubsLimit_WhenIdsAndHostsAreLong()
    {
        var longHost = "orch-" + new string('h', 300) + ".contoso.local";
        var result = CountingCheck.Result(RunOutcome.Error, unmet: 0, met: 2);
        result = result with
        {
            Report = result.Report! with
            {
                Checks = [.. result.Report.Checks, .. Enumerable.Range(0, 30).Select(i => CountingCheck.Check($"backup.verifyonly-{i:00}", CheckStatus.Error, longHost))],
            },
            Failure = "the SQL Server said: " + new string('x', 3000),
        };
        await using var gate = await GitHubGateHarness.StartAsync(Answers(result), "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        var comment = Assert.Single(gate.Api.Reviews).Json.GetProperty("comment").GetString()!;
        Assert.InRange(comment.Length, 1, OrchUpgradePrep.Gates.GitHub.DeploymentReviewClient.MaxCommentChars);
        Assert.Contains("backup.verifyonly-00 on orch-", comment);
        Assert.Contains("(error)", comment);
        Assert.Matches("and [0-9]+ more\\.", comment);
        Assert.EndsWith("Report: https://github.example/contoso/orchestrator-upgrade/runs/1", comment);
    }

    [Fact]
    public async Task RedeliveryOfADeliveryWhoseDecisionWasNotSent_IsDecidedAgain_AndOnlyThenIgnoredAsAReplay()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var reviews = 0;
        // 422 is an answer, not retried: the first decision is lost.
        gate.Api.Fail = r => r.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal) && Interlocked.Increment(ref reviews) == 1 ? 422 : null;
        var body = gate.Payload("orchestrator-prod");
        const string delivery = "4b1e0f9a-0d2c-11f0-8a7e-0242ac120002";

        using var first = await gate.SendAsync(body, delivery);
        await gate.DrainAsync();
        using var redelivery = await gate.SendAsync(body, delivery);
        await gate.DrainAsync();
        using var replay = await gate.SendAsync(body, delivery);
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, check.Runs);
        Assert.Equal(2, gate.Api.Reviews.Count);
        Assert.Equal("approved", gate.Api.Reviews[^1].Json.GetProperty("state").GetString());
        Assert.Contains("no decision was delivered", gate.Log);
        Assert.Contains("decision was already sent, ignored", gate.Log);
    }

    [Fact]
    public async Task ARedeliveryWhileTheFirstIsRunning_StartsNoSecondDecision_ButMakesALostOneRunOnceMore()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(async (_, token) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(token);
            return CountingCheck.Result(RunOutcome.Met);
        });
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var reviews = 0;
        gate.Api.Fail = r => r.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal) && Interlocked.Increment(ref reviews) == 1 ? 422 : null;
        var body = gate.Payload("orchestrator-prod");
        const string delivery = "5c2f1a0b-0d2c-11f0-8a7e-0242ac120002";

        using var first = await gate.SendAsync(body, delivery);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var during1 = await gate.SendAsync(body, delivery);
        using var during2 = await gate.SendAsync(body, delivery);
        Assert.Empty(gate.Api.Reviews);
        release.SetResult();
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, during1.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, during2.StatusCode);
        Assert.Equal(1, check.MostAtOnceForOneEnvironment);
        // The first decision was lost (422); the redeliveries that joined it make one more, which is delivered.
        Assert.Equal(["approved", "approved"], gate.Api.Reviews.Select(r => r.Json.GetProperty("state").GetString()));
        Assert.Equal(2, check.Runs);
        Assert.Contains("redelivered while its decision is still running", gate.Log);
        Assert.Contains("deciding once more", gate.Log);
        using var replay = await gate.SendAsync(body, delivery);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
    }

    [Fact]
    public async Task ARedeliveryWhileTheFirstIsRunning_AddsNothing_WhenTheFirstIsDelivered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(async (_, token) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(token);
            return CountingCheck.Result(RunOutcome.Met);
        });
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var body = gate.Payload("orchestrator-prod");

        using var first = await gate.SendAsync(body, "6d3a2b1c-0d2c-11f0-8a7e-0242ac120002");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var during = await gate.SendAsync(body, "6d3a2b1c-0d2c-11f0-8a7e-0242ac120002");
        release.SetResult();
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, during.StatusCode);
        Assert.Equal(1, check.Runs);
        Assert.Equal("approved", Assert.Single(gate.Api.Reviews).Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task UnknownEnvironment_IsRejected_WithACommentSayingItIsNotMapped()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("staging"));
        await gate.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, check.Runs);
        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("rejected", review.Json.GetProperty("state").GetString());
        Assert.Equal("staging", review.Json.GetProperty("environment_name").GetString());
        Assert.Contains("'staging' is not mapped", review.Json.GetProperty("comment").GetString());
        Assert.Contains("'staging' is not mapped", gate.Log);
    }

    [Fact]
    public async Task ACheckThatTimesOut_IsRejected()
    {
        var check = new CountingCheck(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return CountingCheck.Result(RunOutcome.Met);
        });
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod", checkTimeout: TimeSpan.FromMilliseconds(300));

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        Assert.Equal("failure", Assert.Single(gate.Api.CheckRunCreates).Json.GetProperty("conclusion").GetString());
        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("rejected", review.Json.GetProperty("state").GetString());
        Assert.Contains("did not finish within", review.Json.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task ACheckThatCrashes_IsRejected()
    {
        var check = new CountingCheck((_, _) => throw new InvalidOperationException("boom"));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        Assert.Equal("rejected", Assert.Single(gate.Api.Reviews).Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task CheckRunThatCannotBeCreated_StillRejectsThroughTheCallback()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        gate.Api.Fail = r => r.Path.EndsWith("/check-runs", StringComparison.Ordinal) ? 422 : null;

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        Assert.Single(gate.Api.CheckRunCreates); // 422 is an answer, not tried again
        var review = Assert.Single(gate.Api.Reviews);
        Assert.Equal("rejected", review.Json.GetProperty("state").GetString());
        Assert.Contains("check run could not be created", review.Json.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task TransientServerErrors_AreTriedAgain_BoundedAndThenSucceed()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        var failures = 0;
        gate.Api.Fail = r => r.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1 ? 502 : null;

        using var response = await gate.SendAsync(gate.Payload("orchestrator-prod"));
        await gate.DrainAsync();

        Assert.Equal(2, gate.Api.Reviews.Count);
        Assert.Contains("approved through the deployment callback", gate.Log);
    }

    [Fact]
    public async Task FiftyConcurrentWebhooks_AreAllAnswered_AndEachEnvironmentIsCheckedOnceAtATime()
    {
        var check = new CountingCheck(async (environment, token) =>
        {
            await Task.Delay(50, token);
            return CountingCheck.Result(RunOutcome.Met);
        });
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod, orchestrator-test=test, orchestrator-dev=dev");
        string[] environments = ["orchestrator-prod", "orchestrator-test", "orchestrator-dev"];

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => gate.SendAsync(gate.Payload(environments[i % 3], runId: 2000 + i))));
        await gate.DrainAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var r in responses)
        {
            r.Dispose();
        }

        Assert.Equal(1, check.MostAtOnceForOneEnvironment);
        Assert.InRange(check.Runs, 3, 50);
        Assert.Equal(50, gate.Api.Reviews.Count);
        Assert.Equal(50, gate.Api.Reviews.Select(r => r.Path).Distinct().Count());
        Assert.All(gate.Api.Reviews, r => Assert.Equal("approved", r.Json.GetProperty("state").GetString()));
        Assert.Single(gate.Api.TokenRequests);
    }

    [Fact]
    public async Task InstallationToken_IsCachedAcrossDeliveries_AndRefreshedAfterItsExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod", time);

        for (var i = 0; i < 5; i++)
        {
            using var response = await gate.SendAsync(gate.Payload("orchestrator-prod", runId: 3000 + i));
            await gate.DrainAsync();
        }

        Assert.Single(gate.Api.TokenRequests);
        time.Advance(TimeSpan.FromMinutes(54)); // 1 h token: kept until 5 min before it expires
        using (await gate.SendAsync(gate.Payload("orchestrator-prod", runId: 3100)))
        {
            await gate.DrainAsync();
        }

        Assert.Single(gate.Api.TokenRequests);
        time.Advance(TimeSpan.FromMinutes(2));
        using (await gate.SendAsync(gate.Payload("orchestrator-prod", runId: 3101)))
        {
            await gate.DrainAsync();
        }

        Assert.Equal(2, gate.Api.TokenRequests.Count);
        Assert.Equal($"Bearer {gate.Api.IssuedTokens[1]}", gate.Api.Reviews[^1].Authorization);
        Assert.All(gate.Api.TokenRequests, t => Assert.StartsWith("Bearer eyJ", t.Authorization));
        Assert.Equal($"/api/v3/app/installations/{GitHubGateHarness.InstallationId}/access_tokens", gate.Api.TokenRequests[0].Path);
    }

    [Fact]
    public async Task TheLog_HoldsNoToken_NoJwt_AndNoWebhookSecret()
    {
        var check = Answers(CountingCheck.Result(RunOutcome.Met));
        await using var gate = await GitHubGateHarness.StartAsync(check, "orchestrator-prod=prod");
        // Failures make the service log what went wrong (exception messages included).
        gate.Api.Fail = r => r.Path.EndsWith("/check-runs", StringComparison.Ordinal) ? 403 : null;

        using (await gate.SendAsync(gate.Payload("orchestrator-prod")))
        {
            await gate.DrainAsync();
        }

        using (await gate.SendAsync(gate.Payload("orchestrator-prod"), signature: "sha256=" + new string('0', 64)))
        {
        }

        var log = gate.Log;
        Assert.Contains("github delivery", log);
        Assert.DoesNotContain(GitHubGateHarness.Secret, log);
        Assert.DoesNotContain("ghs_", log);
        Assert.DoesNotContain("eyJ", log);
        Assert.DoesNotContain("PRIVATE KEY", log);
        var jwt = gate.Api.TokenRequests[0].Authorization!["Bearer ".Length..];
        Assert.DoesNotContain(jwt, log);
        Assert.All(gate.Api.IssuedTokens, t => Assert.DoesNotContain(t, log));
    }
}
