using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Orchestrator;

/// <summary>The simulated Orchestrator behaves like the real one where orchprep relies on it.</summary>
public sealed class SandboxOrchestratorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The first job of a runbook (the pending one, when there is one, is queued later).</summary>
    private static SandboxJob Named(SandboxOrchestrator world, string runbook) => world.Jobs().First(j => world.Runbook(j.RunbookId)!.Name == runbook);

    [Fact]
    public void Short_jobs_count_down_from_the_first_look_complete_on_the_clock_and_monitors_never_do()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("Running", Named(world, TestWorlds.Short).Status);

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal("Completed", Named(world, TestWorlds.Short).Status);
        Assert.Equal("success", Named(world, TestWorlds.Short).Instance!.Status);
        Assert.Equal("Running", Named(world, TestWorlds.Monitor).Status);
    }

    [Fact]
    public void Stopping_the_runbook_service_under_a_running_instance_orphans_it_and_starting_it_runs_queued_jobs()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withPending: true);

        world.SetServiceRunning("rb01", SandboxOrchestrator.RunbookServiceName, false);
        world.SetServiceRunning("rb03", SandboxOrchestrator.RunbookServiceName, true);

        Assert.True(Named(world, TestWorlds.Short).Instance!.Orphaned);
        Assert.DoesNotContain(world.Jobs(), j => j.Status == "Pending");
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("Running", Named(world, TestWorlds.Short).Status);
    }

    [Fact]
    public void Only_a_running_job_can_be_cancelled_over_the_web_service_and_a_stale_etag_is_refused()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5), withPending: true);
        var running = Named(world, TestWorlds.Short);
        var pending = world.Jobs().Single(j => j.Status == "Pending");

        Assert.Equal(SandboxCancelOutcome.StaleETag, world.CancelFromWebService(running.Id, running.LastModifiedTime.AddSeconds(-1)));
        Assert.Equal(SandboxCancelOutcome.InvalidTransition, world.CancelFromWebService(pending.Id, null));
        Assert.Equal(SandboxCancelOutcome.Canceled, world.CancelFromWebService(running.Id, running.LastModifiedTime));
        Assert.Equal(SandboxCancelOutcome.NotFound, world.CancelFromWebService(Guid.NewGuid(), null));
        Assert.True(world.CancelFromDatabase(pending.Id, "S-1-5-500"));
        Assert.Equal(2, world.Changes.Count);
    }

    [Fact]
    public void An_exported_world_restores_jobs_and_services_in_a_new_process()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5));
        world.CancelFromWebService(Named(world, TestWorlds.Monitor).Id, null);
        world.SetServiceRunning("rb02", SandboxOrchestrator.RunbookServiceName, false);

        var next = new SandboxOrchestrator(TestWorlds.Profile(), _time);
        next.Restore(world.Export());

        Assert.Equal(world.Jobs().Select(j => (j.Id, j.Status)), next.Jobs().Select(j => (j.Id, j.Status)));
        Assert.False(next.Services("rb02").Single().Running);
    }

    [Fact]
    public void A_saved_world_of_another_scenario_is_refused()
    {
        var world = TestWorlds.Create(_time, TimeSpan.FromMinutes(5));
        var other = new SandboxOrchestrator(new SandboxOrchestratorProfile([], [], [], []), _time);

        Assert.Throws<InvalidDataException>(() => other.Restore(world.Export()));
    }

    [Fact]
    public void A_rescheduled_runbook_starts_a_new_job_where_its_stopped_one_ran_as_often_as_the_profile_says()
    {
        var profile = TestWorlds.Profile(new SandboxJobSeed(TestWorlds.Long, "RB02", TimeSpan.FromMinutes(5), TimeSpan.FromHours(2)))
            with { Restarts = [new SandboxJobRestarts(TestWorlds.Long, Times: 1)] };
        var world = new SandboxOrchestrator(profile, _time);
        var first = Named(world, TestWorlds.Long);

        Assert.Equal(SandboxCancelOutcome.Canceled, world.CancelFromWebService(first.Id, null));

        var again = Assert.Single(world.Jobs(), j => j.Status == "Running");
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(first.RunbookServerId, again.RunbookServerId);
        Assert.Equal(SandboxOrchestrator.SystemSid, again.CreatedBy);
        Assert.Contains(world.Changes, c => c.Contains("started again after a stop", StringComparison.Ordinal));

        // Once only: the second stop leaves nothing running.
        Assert.True(world.CancelFromDatabase(again.Id, "S-1-5-500"));
        Assert.DoesNotContain(world.Jobs(), j => j.Status == "Running");
    }

    [Fact]
    public void A_runbook_rescheduled_every_time_comes_back_after_each_stop_and_a_restored_world_keeps_the_count()
    {
        var seed = new SandboxJobSeed(TestWorlds.Long, "RB02", TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));
        var forever = new SandboxOrchestrator(TestWorlds.Profile(seed) with { Restarts = [new SandboxJobRestarts(TestWorlds.Long, Times: null)] }, _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(forever.CancelFromDatabase(forever.Jobs().Single(j => j.Status == "Running").Id, "S-1-5-500"));
        }

        Assert.Single(forever.Jobs(), j => j.Status == "Running");
        Assert.Equal(6, forever.Jobs().Count);

        var twice = new SandboxOrchestrator(TestWorlds.Profile(seed) with { Restarts = [new SandboxJobRestarts(TestWorlds.Long, Times: 2)] }, _time);
        twice.CancelFromDatabase(twice.Jobs().Single().Id, "S-1-5-500");
        var next = new SandboxOrchestrator(TestWorlds.Profile() with { Restarts = [new SandboxJobRestarts(TestWorlds.Long, Times: 2)] }, _time);
        next.Restore(twice.Export());

        next.CancelFromDatabase(next.Jobs().Single(j => j.Status == "Running").Id, "S-1-5-500");
        Assert.True(next.CancelFromDatabase(next.Jobs().Single(j => j.Status == "Running").Id, "S-1-5-500"));
        Assert.DoesNotContain(next.Jobs(), j => j.Status == "Running");
    }
}
