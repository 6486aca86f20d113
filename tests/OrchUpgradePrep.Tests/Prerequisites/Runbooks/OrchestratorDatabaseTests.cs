using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Tests.Fakes;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>The database path through the real SqlClient against the sandbox SQL Server's Orchestrator tables.</summary>
public sealed class OrchestratorDatabaseTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Active_jobs_come_with_runbook_server_start_and_orphan_flag_in_one_query()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(30), withOrphan: true, withPending: true);
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var database = new OrchestratorDatabase(sql.Connector());

        var jobs = await database.ReadActiveJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(4, jobs.Count);
        var running = Assert.Single(jobs, j => j.RunbookName == TestWorlds.Short && j.Status == JobStatus.Running);
        Assert.Equal("RB01", running.RunbookServer);
        Assert.Equal(_time.GetUtcNow().AddMinutes(-1).UtcDateTime, running.StartedAt!.Value.UtcDateTime, TimeSpan.FromMilliseconds(10));
        Assert.False(running.IsOrphaned);
        Assert.True(Assert.Single(jobs, j => j.RunbookName == TestWorlds.Monitor).IsMonitor);
        Assert.True(Assert.Single(jobs, j => j.RunbookName == TestWorlds.Orphan).IsOrphaned);
        var pending = Assert.Single(jobs, j => j.Status == JobStatus.Pending);
        Assert.Null(pending.StartedAt);
        Assert.Single(sql.Server.Audit, r => r.Text.Contains("[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]", StringComparison.Ordinal));
        Assert.Empty(SandboxSqlAudit.Writes(sql.Server.Audit));
    }

    [Fact]
    public async Task CancelJob_stops_a_pending_job_too_and_is_audited_as_a_write()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(30), withPending: true);
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var database = new OrchestratorDatabase(sql.Connector());
        var pending = Assert.Single(await database.ReadActiveJobsAsync(TestContext.Current.CancellationToken), j => j.Status == JobStatus.Pending);

        await database.CancelJobAsync(pending.Id, TestContext.Current.CancellationToken);

        Assert.Equal("Canceled", world.Job(pending.Id)!.Status);
        var write = Assert.Single(SandboxSqlAudit.Writes(sql.Server.Audit));
        Assert.Contains("[CancelJob]", write.Text, StringComparison.Ordinal);
        // By position, as public callers pass them: the procedure's parameter names are unconfirmed (a wrong one is Msg 8145).
        Assert.DoesNotContain("=", write.Text, StringComparison.Ordinal);
        Assert.Equal(pending.Id, write.Parameters["@jobId"]);
        Assert.Equal(OrchestratorDatabase.CancelledBySid, write.Parameters["@userSid"]);
    }

    [Fact]
    public async Task Clearing_orphans_ends_them_and_leaves_live_jobs_alone()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(30), withOrphan: true);
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time, orchestrator: world);
        var database = new OrchestratorDatabase(sql.Connector());

        await database.ClearOrphanedInstancesAsync(TestContext.Current.CancellationToken);

        var jobs = await database.ReadActiveJobsAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(jobs, j => j.IsOrphaned);
        Assert.Contains(jobs, j => j.RunbookName == TestWorlds.Short);
    }

    [Fact]
    public async Task A_server_without_the_Orchestrator_tables_answers_208_which_surfaces_as_a_sql_error()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(time: _time);
        var database = new OrchestratorDatabase(sql.Connector());

        var error = await Assert.ThrowsAsync<SqlSessionException>(() => database.ReadActiveJobsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(208, error.Number);
    }
}
