using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Platform.Services;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Services;

public sealed class WindowsServiceControlSourceTests
{
    private const string SkipReason = "set ORCHPREP_TEST_WINDOWS=1 on a Windows machine to run";

    [Fact]
    public void A_snapshot_host_cannot_be_changed_and_says_what_to_do()
    {
        var source = new WindowsServiceControlSource(TimeProvider.System, new LocalMachine(Environment.MachineName));

        var error = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "orch-rb02", Roles = [HostRole.RunbookServer], Snapshot = "snapshots/orch-rb02" }));

        Assert.Contains("snapshot", error.Message, StringComparison.Ordinal);
        Assert.Contains("by hand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_Windows_service_control_is_refused_with_the_reason()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "this runner is Windows");
        var source = new WindowsServiceControlSource(TimeProvider.System, new LocalMachine(Environment.MachineName));

        var error = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "orch-rb02", Roles = [HostRole.RunbookServer] }));

        Assert.Contains("Windows runner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_live_Windows_the_local_services_are_listed_with_their_state()
    {
        Assert.SkipUnless(OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("ORCHPREP_TEST_WINDOWS") is { Length: > 0 }, SkipReason);
        var control = new WindowsServiceControlSource(TimeProvider.System, new LocalMachine(Environment.MachineName)).For(new HostConfig { Name = Environment.MachineName, Roles = [HostRole.RunbookServer] });

        var services = await control.ListAsync(TestContext.Current.CancellationToken);

        Assert.Contains(services, s => string.Equals(s.Name, "EventLog", StringComparison.OrdinalIgnoreCase) && s.State == "Running");
    }

    [Fact]
    public async Task On_live_Windows_a_query_reads_the_process_id_and_that_a_svchost_service_shares_its_process()
    {
        Assert.SkipUnless(OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("ORCHPREP_TEST_WINDOWS") is { Length: > 0 }, SkipReason);
        var control = new WindowsServiceControlSource(TimeProvider.System, new LocalMachine(Environment.MachineName)).For(new HostConfig { Name = Environment.MachineName, Roles = [HostRole.RunbookServer] });

        var eventLog = await control.QueryAsync("EventLog", TestContext.Current.CancellationToken);
        var missing = await control.QueryAsync("orchprep-no-such-service", TestContext.Current.CancellationToken);

        Assert.NotNull(eventLog);
        Assert.Equal("Running", eventLog.State);
        Assert.True(eventLog.ProcessId > 0);
        Assert.True(eventLog.SharesProcess == true || eventLog.PathName?.Contains("svchost.exe", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Null(missing);
    }

    [Fact]
    public void Inside_a_container_the_local_service_control_manager_is_refused_so_nothing_is_stopped_there()
    {
        var source = new WindowsServiceControlSource(TimeProvider.System, new LocalMachine("c0ffee12", "/run/.containerenv exists"));

        var error = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "localhost", Roles = [HostRole.RunbookServer] }));

        Assert.Contains("orchprep runs in a container (/run/.containerenv exists)", error.Message, StringComparison.Ordinal);
        Assert.Contains("none was stopped or started", error.Message, StringComparison.Ordinal);
    }
}
