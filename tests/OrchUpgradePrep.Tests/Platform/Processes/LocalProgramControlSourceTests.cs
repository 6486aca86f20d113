using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Platform.Processes;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Processes;

public sealed class LocalProgramControlSourceTests
{
    private static readonly LocalProgramControlSource Source = new(new LocalMachine("runner01"), TimeProvider.System);

    [Theory]
    [InlineData("orch-ms01", null, "only closes programs on the machine orchprep runs on")]
    [InlineData("runner01", "snapshots/runner01", "snapshot")]
    public void Programs_elsewhere_are_refused_with_the_reason(string host, string? snapshot, string reason)
    {
        var error = Assert.Throws<HostFactsException>(() => Source.For(new HostConfig { Name = host, Roles = [HostRole.Designer], Snapshot = snapshot }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_Windows_even_this_machine_is_refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "this runner is Windows");

        Assert.Throws<HostFactsException>(() => Source.For(new HostConfig { Name = "runner01", Roles = [HostRole.Designer] }));
    }

    [Fact]
    public void Inside_a_container_this_machine_is_refused_naming_the_container()
    {
        var source = new LocalProgramControlSource(new LocalMachine("runner01", "/.dockerenv exists"), TimeProvider.System);

        var error = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "runner01", Roles = [HostRole.Designer] }));

        Assert.Contains("orchprep runs in a container (/.dockerenv exists)", error.Message, StringComparison.Ordinal);
        Assert.Contains("none was closed", error.Message, StringComparison.Ordinal);
    }
}
