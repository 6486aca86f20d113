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
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"));
        var facts = source.For(new HostConfig { Name = "orch-rb02", Snapshot = "snapshots/orch-rb02" });
        Assert.IsType<SnapshotHostFacts>(facts);
        Assert.Equal("orch-rb02", facts.HostName);
    }

    [Fact]
    public void This_machine_without_a_snapshot_uses_the_live_adapter()
    {
        var live = new FakeHostFacts("runner01");
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("RUNNER01"), () => live);
        Assert.Same(live, source.For(new HostConfig { Name = "runner01.contoso.local" }));
        Assert.Same(live, source.For(new HostConfig { Name = "localhost" }));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData(".")]
    [InlineData("c0ffee12")]
    public void This_machine_inside_a_container_is_never_read_as_the_host(string name)
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("c0ffee12", "/.dockerenv exists"),
            () => throw new InvalidOperationException("the container's own registry must not be read as the host's"));

        var error = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = name }));

        Assert.Contains("orchprep runs in a container (/.dockerenv exists)", error.Message, StringComparison.Ordinal);
        Assert.Contains("over CIM/WinRM", error.Message, StringComparison.Ordinal);
        Assert.Contains("snapshot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_a_container_snapshots_and_other_hosts_are_read_as_before()
    {
        var remote = new FakeHostFacts("orch-ms01");
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("c0ffee12", "DOTNET_RUNNING_IN_CONTAINER=true"), null, _ => remote);

        Assert.IsType<SnapshotHostFacts>(source.For(new HostConfig { Name = "localhost", Snapshot = "snapshots/orch-rb02" }));
        Assert.Same(remote, source.For(new HostConfig { Name = "orch-ms01" }));
    }

    [Fact]
    public void This_machine_without_a_live_adapter_says_to_use_a_snapshot()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"));
        var ex = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "runner01" }));
        Assert.Contains("need Windows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_host_without_a_snapshot_is_an_error_that_says_what_to_do()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"), () => throw new InvalidOperationException("must not be called"));
        var ex = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "orch-ms01" }));
        Assert.Contains("hosts[].snapshot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Export-OrchPrepSnapshot.ps1", ex.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void A_remote_host_without_a_snapshot_uses_the_remote_adapter_with_its_config()
    {
        var remote = new FakeHostFacts("orch-ms01");
        HostConfig? asked = null;
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"), () => throw new InvalidOperationException("must not be called"),
            host => { asked = host; return remote; });

        var host = new HostConfig { Name = "orch-ms01" };
        Assert.Same(remote, source.For(host));
        Assert.Same(host, asked);
    }

    [Fact]
    public void A_remote_host_without_a_remote_adapter_says_it_needs_a_Windows_runner_or_a_snapshot()
    {
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"));
        var ex = Assert.Throws<HostFactsException>(() => source.For(new HostConfig { Name = "orch-ms01" }));
        Assert.StartsWith("orch-ms01: remote hosts are read over WinRM/CIM, which needs a Windows runner; give the host a snapshot (hosts[].snapshot)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_and_this_machine_win_over_the_remote_adapter()
    {
        var live = new FakeHostFacts("runner01");
        var source = new HostFactsSource(FileSystem(), "/cfg", new LocalMachine("runner01"), () => live, _ => throw new InvalidOperationException("must not be called"));

        Assert.IsType<SnapshotHostFacts>(source.For(new HostConfig { Name = "orch-rb02", Snapshot = "snapshots/orch-rb02" }));
        Assert.Same(live, source.For(new HostConfig { Name = "runner01" }));
    }

    [Fact]
    public void The_remote_factory_exists_only_on_Windows()
    {
        Assert.Equal(OperatingSystem.IsWindows(), OrchUpgradePrep.Platform.HostFacts.Cim.CimHostFacts.RemoteFactoryForThisPlatform() is not null);
    }
}
