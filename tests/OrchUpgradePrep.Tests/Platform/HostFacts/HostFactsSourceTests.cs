using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts;

public sealed class HostFactsSourceTests
{
    private static MockFileSystem FileSystem()
    {
        var fs = new MockFileSystem();
        fs.AddFile("/cfg/snapshots/orch-rb02/host.json", new MockFileData("""{ "schemaVersion": 1 }"""));
        return fs;
    }

    [Fact]
    public void A_host_with_a_snapshot_reads_it_relative_to_the_config_folder()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", "runner01");
        var facts = source.For(new HostConfig { Name = "orch-rb02", Snapshot = "snapshots/orch-rb02" });
        Assert.IsType<SnapshotHostFacts>(facts);
        Assert.Equal("orch-rb02", facts.HostName);
    }

    [Fact]
    public void This_machine_without_a_snapshot_uses_the_live_adapter()
    {
        var live = new FakeHostFacts("runner01");
        var source = new HostFactsSource(FileSystem(), "/cfg", "RUNNER01", () => live);
        Assert.Same(live, source.For(new HostConfig { Name = "runner01.contoso.local" }));
        Assert.Same(live, source.For(new HostConfig { Name = "localhost" }));
    }

    [Fact]
    public void This_machine_without_a_live_adapter_says_to_use_a_snapshot()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", "runner01");
        var ex = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "runner01" }));
        Assert.Contains("need Windows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_host_without_a_snapshot_is_an_error_that_says_what_to_do()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", "runner01", () => throw new InvalidOperationException("must not be called"));
        var ex = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "orch-ms01" }));
        Assert.Contains("hosts[].snapshot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Export-OrchPrepSnapshot.ps1", ex.Message, StringComparison.Ordinal);
    }
}
