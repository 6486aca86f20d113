using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

public sealed class RunbookInventoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static OrchestratorJob Job(Guid id, string status = JobStatus.Running, bool orphaned = false, string? path = null, string? server = null) => new()
    {
        Id = id, RunbookId = Guid.Empty, Status = status, RunbookName = "R", RunbookPath = path, IsOrphaned = orphaned, RunbookServer = server,
    };

    [Fact]
    public void The_union_counts_a_job_either_source_sees_and_takes_path_from_the_web_and_orphan_flag_from_the_database()
    {
        var shared = Guid.NewGuid();
        var onlyDatabase = Guid.NewGuid();
        var snapshot = RunbookSnapshot.Combine(
            new SourceRead("web service", "w", [Job(shared, path: @"\A\R")], null),
            new SourceRead("database", "d", [Job(shared, orphaned: true, server: "RB01"), Job(onlyDatabase)], null));

        Assert.Equal(2, snapshot.Jobs.Count);
        var merged = Assert.Single(snapshot.Jobs, j => j.Id == shared);
        Assert.Equal(@"\A\R", merged.RunbookPath);
        Assert.True(merged.IsOrphaned);
        Assert.Equal("RB01", merged.RunbookServer);
        Assert.Contains(snapshot.Jobs, j => j.Id == onlyDatabase);
    }

    [Fact]
    public void No_answering_source_is_unknown_not_empty()
    {
        var snapshot = RunbookSnapshot.Combine(new SourceRead("web service", "w", null, "refused"), new SourceRead("database", "d", null, "login failed"));

        Assert.True(snapshot.IsUnknown);
        Assert.Empty(snapshot.Jobs);
        Assert.Contains("refused", snapshot.SourcesText, StringComparison.Ordinal);
        Assert.Contains("login failed", snapshot.SourcesText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_one_failed_web_read_the_run_uses_the_database_alone_instead_of_retrying_every_poll()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(1));
        var web = new WorldOrchestratorApi(world) { Down = true };
        var database = new FakeSqlConnector().Answer("[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]");
        var inventory = new RunbookInventory(web, new OrchestratorDatabase(database));

        var first = await inventory.ReadAsync(TestContext.Current.CancellationToken);
        var second = await inventory.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, web.Reads);
        Assert.False(first.IsUnknown);
        Assert.False(second.Web!.Succeeded);
        Assert.Contains("not retried", second.Web.Error, StringComparison.Ordinal);
        Assert.Null(inventory.WebService);
        Assert.Equal(2, database.Received.Count);
    }

    [Fact]
    public async Task Without_a_database_the_web_service_is_asked_again_at_every_read()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(1));
        var web = new WorldOrchestratorApi(world) { Down = true };
        var inventory = new RunbookInventory(web, null);

        await inventory.ReadAsync(TestContext.Current.CancellationToken);
        await inventory.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, web.Reads);
    }

    [Fact]
    public async Task The_first_snapshot_is_read_once_for_all_checks_of_a_run()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(1));
        var web = new WorldOrchestratorApi(world);
        var inventory = new RunbookInventory(web, null);

        var all = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => inventory.FirstSnapshotAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(1, web.Reads);
        Assert.All(all, s => Assert.Same(all[0], s));
    }

    [Fact]
    public async Task Cancellation_is_not_recorded_as_a_source_failure()
    {
        var inventory = new RunbookInventory(new WorldOrchestratorApi(TestWorlds.Create(_time, TimeSpan.FromMinutes(1))), null);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inventory.ReadAsync(cancelled.Token));
    }
}
