using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.WebService;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>The real web service client against the sandbox's web service over HTTP: the two sides agree on paging,
/// the stop request and the start request, and a poll costs one request per page of jobs.</summary>
public sealed class WebServiceClientAgainstSandboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static SandboxOrchestrator World(TimeProvider time, int running)
    {
        var runbook = new SandboxRunbook(Guid.NewGuid(), "Long job", @"\Test\Long job", false);
        var monitor = new SandboxRunbook(Guid.NewGuid(), "Monitor queue", @"\Monitors\Monitor queue", true);
        var server = new SandboxRunbookServer(Guid.NewGuid(), "RB01");
        var jobs = Enumerable.Range(0, running).Select(i => new SandboxJobSeed(i == 0 ? monitor.Name : runbook.Name, "RB01", TimeSpan.FromMinutes(200 - i), i == 0 ? null : TimeSpan.FromHours(5)));
        return new SandboxOrchestrator(new SandboxOrchestratorProfile([runbook, monitor], [server], [.. jobs], [new("rb01", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service")]), time);
    }

    private async Task<(SandboxWebService Service, ODataOrchestratorApi Api)> StartAsync(SandboxOrchestrator world)
    {
        var service = await SandboxWebService.StartAsync(world, new SandboxWebServiceOptions { Password = "Pw-web-1" }, _time, TestContext.Current.CancellationToken);
        var api = OrchestratorApiFactory.Create(
            new WebServiceConfig { Url = service.ServiceRoot, Auth = WebServiceAuth.Basic, UserEnv = "U", PasswordEnv = "P" },
            name => name == "U" ? "orchprep" : name == "P" ? "Pw-web-1" : null,
            new ODataOrchestratorApiOptions(),
            TimeProvider.System);
        return (service, api);
    }

    [Fact]
    public async Task A_poll_over_120_active_jobs_reads_three_pages_and_later_polls_skip_the_runbook_lookups()
    {
        var world = World(_time, 120);
        var (service, api) = await StartAsync(world);
        await using (service)
        using (api)
        {
            var first = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);
            var afterFirst = service.Audit.Count;
            var second = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

            Assert.Equal(120, first.Count);
            Assert.Equal(first.Select(j => j.Id).Order(), world.Jobs().Select(j => j.Id).Order());
            Assert.Single(first, j => j.IsMonitor);
            Assert.All(first, j => Assert.Equal("RB01", j.RunbookServer));
            Assert.Equal(3, service.Audit.Count(r => r.PathAndQuery.Contains("Jobs", StringComparison.Ordinal) && r.Sequence <= afterFirst));
            Assert.Equal(120, second.Count);
            Assert.Equal(3, service.Audit.Count - afterFirst);
        }
    }

    [Fact]
    public async Task Stop_and_start_requests_are_understood_and_change_the_shared_state()
    {
        var world = World(_time, 3);
        var (service, api) = await StartAsync(world);
        await using (service)
        using (api)
        {
            var victim = world.Jobs().First(j => world.Runbook(j.RunbookId)!.Name == "Long job");

            var stopped = await api.StopJobAsync(victim.Id, TestContext.Current.CancellationToken);
            var monitor = world.Runbooks.Single(r => r.IsMonitor);
            var started = await api.StartJobAsync(monitor.Id, TestContext.Current.CancellationToken);

            Assert.Equal(JobStatus.Canceled, stopped.Status);
            Assert.Equal("Canceled", world.Job(victim.Id)!.Status);
            Assert.Equal(monitor.Id, started.RunbookId);
            Assert.Equal("Running", world.Job(started.Id)!.Status);
            Assert.Contains(service.Audit, r => r.Method == "MERGE" && r.StatusCode == 204);
            Assert.Contains(service.Audit, r => r.Method == "POST" && r.StatusCode == 201);
        }
    }

    [Fact]
    public async Task Retries_carry_a_poll_through_503s_and_resets()
    {
        var world = World(_time, 60);
        var service = await SandboxWebService.StartAsync(world,
            new SandboxWebServiceOptions { Password = "Pw-web-1", Faults = new SandboxWebServiceFaults { FailEvery = 2, ResetEvery = 5 } }, _time, TestContext.Current.CancellationToken);
        using var api = OrchestratorApiFactory.Create(
            new WebServiceConfig { Url = service.ServiceRoot, Auth = WebServiceAuth.Basic, UserEnv = "U", PasswordEnv = "P" },
            name => name == "U" ? "orchprep" : name == "P" ? "Pw-web-1" : null,
            new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5) },
            TimeProvider.System);
        await using (service)
        {
            var jobs = await api.ListActiveJobsAsync(TestContext.Current.CancellationToken);

            Assert.Equal(60, jobs.Count);
            Assert.Contains(service.Audit, r => r.StatusCode == 503);
            Assert.Contains(service.Audit, r => r.StatusCode == 0);
        }
    }

    [Fact]
    public async Task A_job_stopped_over_http_is_gone_from_the_sql_view_too()
    {
        var world = World(_time, 3);
        var (service, api) = await StartAsync(world);
        await using var sql = await Sandbox.SqlServer.SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        await using (service)
        using (api)
        {
            var database = new OrchestratorDatabase(sql.Connector());
            var victim = (await database.ReadActiveJobsAsync(TestContext.Current.CancellationToken)).First(j => j.RunbookName == "Long job");

            await api.StopJobAsync(victim.Id, TestContext.Current.CancellationToken);

            var after = await database.ReadActiveJobsAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain(after, j => j.Id == victim.Id);
            Assert.Equal(2, after.Count);
        }
    }
}
