using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

public sealed class RunbookChecksTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private CheckContext Context(RunbookInventory? inventory, MonitorPolicy monitors = MonitorPolicy.Stop) => new()
    {
        Environment = new EnvironmentConfig { Name = "test", Policies = new PoliciesConfig { Drain = new DrainPolicy { Monitors = monitors } } },
        Target = TargetVersion.V2022,
        Time = _time,
        Runbooks = inventory,
    };

    private static Task<CheckOutcome> Run(ICheck check, CheckContext context) => check.RunAsync(context, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Running_jobs_are_unmet_with_path_job_id_server_and_start_as_evidence()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5));
        var context = Context(new RunbookInventory(new WorldOrchestratorApi(world), null));

        var outcome = await Run(new NoRunningJobsCheck(), context);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"\Test\Short job", outcome.Detail, StringComparison.Ordinal);
        var job = world.Jobs().Single(j => world.Runbook(j.RunbookId)!.Name == TestWorlds.Short);
        var evidence = Assert.Single(outcome.Evidence, e => e.Source == $"job {job.Id}");
        Assert.Equal(@"\Test\Short job on RB01, running since 2026-11-25 08:59:00Z", evidence.Value);
        Assert.Contains("orchprep prepare", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_monitor_alone_leaves_none_running_met_and_makes_monitors_unmet_with_the_policy_in_the_remedy()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5));
        world.CancelFromWebService(world.Jobs().Single(j => world.Runbook(j.RunbookId)!.Name == TestWorlds.Short).Id, null);
        var inventory = new RunbookInventory(new WorldOrchestratorApi(world), null);

        Assert.Equal(CheckStatus.Met, (await Run(new NoRunningJobsCheck(), Context(inventory))).Status);
        var stop = await Run(new MonitorRunbooksCheck(), Context(inventory));
        var leave = await Run(new MonitorRunbooksCheck(), Context(inventory, MonitorPolicy.Leave));

        Assert.Equal(CheckStatus.Unmet, stop.Status);
        Assert.Contains("resume", stop.Remediation, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Unmet, leave.Status);
        Assert.Contains("monitors: leave", leave.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pending_jobs_are_their_own_unmet_check()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withPending: true);
        var outcome = await Run(new NoPendingJobsCheck(), Context(new RunbookInventory(new WorldOrchestratorApi(world), null)));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("1 runbook job(s) pending", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_web_service_and_sql_every_runbooks_check_is_skipped_as_not_configured()
    {
        foreach (var check in CheckCatalog.CreateAll().Where(c => c.Prerequisite == Prerequisite.Runbooks))
        {
            var outcome = await Run(check, Context(new RunbookInventory(null, null)));
            Assert.Equal(CheckStatus.Skipped, outcome.Status);
            Assert.StartsWith("not configured", outcome.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_answering_source_is_an_error_never_met()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5));
        var outcome = await Run(new NoRunningJobsCheck(), Context(new RunbookInventory(new WorldOrchestratorApi(world) { Down = true }, null)));

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("connection refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Orphans_need_the_database_and_are_unmet_when_it_reports_them()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withOrphan: true);
        var webOnly = await Run(new OrphanedInstancesCheck(), Context(new RunbookInventory(new WorldOrchestratorApi(world), null)));
        var database = new FakeSqlConnector().Answer("[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]", OrphanRow());
        var withDatabase = await Run(new OrphanedInstancesCheck(), Context(new RunbookInventory(null, new OrchestratorDatabase(database))));

        Assert.Equal(CheckStatus.Skipped, webOnly.Status);
        Assert.Equal(CheckStatus.Unmet, withDatabase.Status);
        Assert.Contains("ClearOrphanedRunbookInstances", withDatabase.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_that_disagree_are_a_warning_naming_the_job_only_one_of_them_sees()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withMonitor: false);
        var web = new WorldOrchestratorApi(world);
        web.Hidden.Add(world.Jobs()[0].Id);
        var database = new FakeSqlConnector().Answer("[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]", RowFor(world, world.Jobs()[0]));
        var inventory = new RunbookInventory(web, new OrchestratorDatabase(database));

        var agree = await Run(new SourcesAgreeCheck(), Context(inventory));
        var running = await Run(new NoRunningJobsCheck(), Context(inventory));

        Assert.Equal(CheckStatus.Warning, agree.Status);
        Assert.Contains(agree.Evidence, e => e.Source == $"database only: job {world.Jobs()[0].Id}");
        Assert.Equal(CheckStatus.Unmet, running.Status);
    }

    [Fact]
    public async Task A_web_service_that_is_down_with_the_database_answering_is_a_warning_that_says_which_path_was_used()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withMonitor: false);
        var database = new FakeSqlConnector().Answer("[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]");
        var inventory = new RunbookInventory(new WorldOrchestratorApi(world) { Down = true }, new OrchestratorDatabase(database));

        var agree = await Run(new SourcesAgreeCheck(), Context(inventory));
        var running = await Run(new NoRunningJobsCheck(), Context(inventory));

        Assert.Equal(CheckStatus.Warning, agree.Status);
        Assert.Contains("used the database alone", agree.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Met, running.Status);
        Assert.Contains(running.Evidence, e => e.Value.Contains("web service unavailable", StringComparison.Ordinal));
    }

    private static Ports.SqlRow OrphanRow() => FakeSqlConnector.Row(
        ("JobId", Guid.NewGuid()), ("RunbookId", Guid.NewGuid()), ("Status", "Running"), ("RunbookServerId", Guid.NewGuid()), ("CreationTime", new DateTime(2026, 11, 23, 9, 0, 0)),
        ("RunbookName", "Log rotation"), ("RunbookServer", "RB02"), ("TimeStarted", new DateTime(2026, 11, 23, 9, 0, 0)), ("Orphaned", true));

    private static Ports.SqlRow RowFor(OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestrator world, OrchUpgradePrep.Sandbox.Orchestrator.SandboxJob job) => FakeSqlConnector.Row(
        ("JobId", job.Id), ("RunbookId", job.RunbookId), ("Status", job.Status), ("RunbookServerId", job.RunbookServerId), ("CreationTime", job.CreationTime),
        ("RunbookName", world.Runbook(job.RunbookId)!.Name), ("RunbookServer", "RB01"), ("TimeStarted", job.CreationTime), ("Orphaned", false));
}
