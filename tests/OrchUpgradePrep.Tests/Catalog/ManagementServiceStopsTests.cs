using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Catalog;

/// <summary>
/// Which management services block starts stops besides the Runbook Services: omonitor and oremoting on a management
/// server whose installed Orchestrator is 2022 or later; up to 2019, or when the version cannot be read, none, with
/// the reason in evidence (docs/adr/0024-stop-omonitor-oremoting-on-2022.md).
/// </summary>
public sealed class ManagementServiceStopsTests
{
    private const string Uninstall64 = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";

    private static readonly HostConfig Management = new() { Name = "orch-ms01", Roles = [HostRole.ManagementServer, HostRole.RunbookServer] };
    private static readonly HostConfig RunbookOnly = new() { Name = "orch-rb02", Roles = [HostRole.RunbookServer] };

    private static FakeHostFacts Installed(string? version)
    {
        var host = new FakeHostFacts();
        var values = new List<RegistryValue> { FakeRegistry.Sz("DisplayName", "System Center Orchestrator 2022 Management Server") };
        if (version is not null)
        {
            values.Add(FakeRegistry.Sz("DisplayVersion", version));
        }

        host.FakeRegistry.Key(Uninstall64).Key($@"{Uninstall64}\{{5E6D1B43-9A4C-4E2B-8F7D-0C3A2B1E4D22}}", [.. values]);
        return host;
    }

    private static async Task<ServiceStopPlan> Plan(IHostFacts management, IHostFacts? runbook = null) =>
        await ManagementServiceStops.PlanAsync(new EnvironmentConfig { Name = "test", Hosts = [Management, RunbookOnly] },
            new ByHost(new Dictionary<string, IHostFacts> { [Management.Name] = management, [RunbookOnly.Name] = runbook ?? Installed("10.22.10.2") }),
            TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("10.22.10.2")]
    [InlineData("10.22.2.0")]
    [InlineData("10.25.1.7")]
    public async Task On_2022_or_later_the_management_server_stops_omonitor_then_oremoting(string version)
    {
        var plan = await Plan(Installed(version));

        Assert.Equal([("orch-ms01", "omonitor"), ("orch-ms01", "oremoting")], plan.Stops.Select(s => (s.Host, s.Service.Name)));
        Assert.Equal(["RunbookServerMonitorService.exe", "OrchestratorRemotingService.exe"], plan.Stops.Select(s => s.Service.Binary));
        Assert.Empty(plan.Reasons);
    }

    [Fact]
    public async Task On_2019_nothing_more_is_stopped_and_the_evidence_says_the_issue_is_documented_for_2022()
    {
        var plan = await Plan(Installed("10.19.126.0"));

        Assert.Empty(plan.Stops);
        var reason = Assert.Single(plan.Reasons);
        Assert.Equal("orch-ms01: omonitor, oremoting", reason.Source);
        Assert.Contains("not stopped: the installed Orchestrator is 2019 UR3 (10.19.126.0)", reason.Value, StringComparison.Ordinal);
        Assert.Contains("documented for Orchestrator 2022", reason.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_version_stops_nothing_more_and_says_it_is_unknown()
    {
        var noVersion = await Plan(Installed(null));
        var notExported = new FakeHostFacts();
        notExported.FakeRegistry.KnownRoots.Clear();
        var notInSnapshot = await Plan(notExported);

        Assert.Empty(noVersion.Stops);
        Assert.Contains("version is unknown (no uninstall entry gives a readable DisplayVersion), so they are not stopped", Assert.Single(noVersion.Reasons).Value, StringComparison.Ordinal);
        Assert.Empty(notInSnapshot.Stops);
        Assert.Contains("version is unknown (the source does not hold", Assert.Single(notInSnapshot.Reasons).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_cannot_be_read_or_a_host_out_of_reach_is_unknown_never_stopped()
    {
        var denied = Installed("10.22.10.2");
        denied.FakeRegistry.Unreadable.Add(Uninstall64);

        var plan = await Plan(denied);
        var unreachable = await ManagementServiceStops.PlanAsync(new EnvironmentConfig { Name = "test", Hosts = [Management] }, new ByHost([]), TestContext.Current.CancellationToken);

        Assert.Empty(plan.Stops);
        Assert.Contains("version is unknown (its registry could not be read: cannot read", Assert.Single(plan.Reasons).Value, StringComparison.Ordinal);
        Assert.Empty(unreachable.Stops);
        Assert.Contains("no facts for orch-ms01", Assert.Single(unreachable.Reasons).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_without_the_management_role_is_not_planned_whatever_it_runs()
    {
        var plan = await Plan(Installed("10.19.126.0"), runbook: Installed("10.22.10.2"));

        Assert.DoesNotContain(plan.Stops, s => s.Host == "orch-rb02");
        Assert.DoesNotContain(plan.Reasons, r => r.Source.StartsWith("orch-rb02", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Against_the_sandbox_a_2022_management_server_snapshot_plans_both_stops_and_lists_their_binaries_under_program_files()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await SandboxSession.StartAsync("monitor-stop-hangs", TimeProvider.System, ct, sqlPassword: "Pw-plan-1");

        var plan = await ManagementServiceStops.PlanAsync(session.Environment, session.HostFacts, ct);

        Assert.Equal([("orch-ms01", "omonitor"), ("orch-ms01", "oremoting")], plan.Stops.Select(s => (s.Host, s.Service.Name)));
        var services = await session.HostFacts.For(session.Environment.Hosts.Single(h => h.Name == "orch-ms01")).GetServicesAsync(ct);
        Assert.Equal(@"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\RunbookServerMonitorService.exe""", services.Single(s => s.Name == "omonitor").PathName);
        Assert.Equal(@"""C:\Program Files\Microsoft System Center\Orchestrator\Management Server\OrchestratorRemotingService.exe""", services.Single(s => s.Name == "oremoting").PathName);
    }

    [Fact]
    public async Task Against_the_sandbox_a_2019_management_server_plans_no_stop_and_says_why()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await SandboxSession.StartAsync("ready", TimeProvider.System, ct, sqlPassword: "Pw-plan-1");

        var plan = await ManagementServiceStops.PlanAsync(session.Environment, session.HostFacts, ct);

        Assert.Empty(plan.Stops);
        Assert.Contains("2019 UR3 (10.19.126.0)", Assert.Single(plan.Reasons, r => r.Source == "orch-ms01: omonitor, oremoting").Value, StringComparison.Ordinal);
    }

    private sealed class ByHost(Dictionary<string, IHostFacts> facts) : IHostFactsSource
    {
        public IHostFacts For(HostConfig host) =>
            facts.TryGetValue(host.Name, out var found) ? found : throw new HostFactsException($"no facts for {host.Name}");
    }
}
