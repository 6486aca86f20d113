using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Prepare.State;
using Xunit;

namespace OrchUpgradePrep.Tests.Prepare.State;

public sealed class PrepareStateStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_saved_state_reads_back_and_a_second_prepare_adds_to_it_without_losing_the_first()
    {
        var fs = new MockFileSystem();
        var store = new PrepareStateStore(fs, "/out");
        var first = new PrepareState { Environment = "prod", UpdatedAt = Now }
            .With(new StoppedService("rb01", "orunbook", "Orchestrator Runbook Service", Now), Now)
            .With(new StoppedMonitor(Guid.NewGuid(), @"\M\Monitor a", Guid.NewGuid(), Now), Now);
        store.Save(first);

        var second = store.Load()!
            .With(new StoppedService("RB01", "ORUNBOOK", "Orchestrator Runbook Service", Now.AddHours(1)), Now.AddHours(1))
            .With(new StoppedService("rb02", "orunbook", "Orchestrator Runbook Service", Now.AddHours(1)), Now.AddHours(1));
        store.Save(second);

        var loaded = store.Load()!;
        Assert.Equal(["rb01", "rb02"], loaded.StoppedServices.Select(s => s.Host));
        Assert.Equal(Now, loaded.StoppedServices[0].StoppedAt);
        Assert.Single(loaded.StoppedMonitors);
        Assert.False(fs.File.Exists("/out/prepare-state.json.tmp"));
    }

    [Fact]
    public void An_empty_state_is_kept_as_a_file_that_lists_nothing_so_a_second_resume_has_nothing_to_undo()
    {
        var fs = new MockFileSystem();
        var store = new PrepareStateStore(fs, "/out");
        store.Save(new PrepareState { Environment = "prod", UpdatedAt = Now }.With(new StoppedService("rb01", "orunbook", "x", Now), Now));

        store.Save(new PrepareState { Environment = "prod", UpdatedAt = Now });

        Assert.True(fs.File.Exists(store.Path));
        Assert.True(store.Load()!.IsEmpty);
    }

    [Fact]
    public void A_damaged_state_file_is_an_error_and_is_never_overwritten()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData> { ["/out/prepare-state.json"] = new("{ \"environment\": ") });
        var store = new PrepareStateStore(fs, "/out");

        var error = Assert.Throws<ConfigException>(store.Load);

        Assert.Contains("not overwritten", error.Message, StringComparison.Ordinal);
        Assert.Equal("{ \"environment\": ", fs.File.ReadAllText("/out/prepare-state.json"));
    }
}
