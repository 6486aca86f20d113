using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Fakes.FakeRegistry;

namespace OrchUpgradePrep.Tests.Prerequisites.Restart;

/// <summary>A per-signal skip with a reason (the lesson in docs/facts/restart-signals.md#known-bugs) reaches the real check through the planner and the runner.</summary>
public sealed class RestartPolicySkipTests
{
    private const string SessionManager = @"SYSTEM\CurrentControlSet\Control\Session Manager";

    [Fact]
    public async Task PolicySkip_ReachesTheRealPendingFileRenameCheck_WithTheReason_AndLeavesTheOtherSignalsRunning()
    {
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Target = TargetVersion.V2022,
            Hosts = [new HostConfig { Name = "orch-rb02", Roles = [HostRole.RunbookServer] }],
            Policies = new PoliciesConfig
            {
                Restart = new RestartPolicy { Skip = [new SkippedSignal("restart.pending-file-rename", "AV rewrites it at every boot, change 4711")] },
            },
        };
        var host = new FakeHostFacts("orch-rb02") { Processes = [] };
        host.FakeRegistry.Key(SessionManager, MultiSz("PendingFileRenameOperations", @"\??\C:\Program Files\Contoso\a.dll", string.Empty));

        var plan = CheckPlanner.Plan(CheckCatalog.CreateAll(), environment, new CheckSelection(["restart"], []));
        var run = await new CheckRunner(new CheckRunnerOptions(), new OneHost(host), TimeProvider.System)
            .RunAsync(plan, environment, TargetVersion.V2022, null, TestContext.Current.CancellationToken);

        var skipped = Assert.Single(run.Results, r => r.Id == "restart.pending-file-rename");
        Assert.Equal(CheckStatus.Skipped, skipped.Status);
        Assert.Equal("skipped by policy: AV rewrites it at every boot, change 4711", skipped.Detail);
        Assert.Equal(CheckStatus.Met, Assert.Single(run.Results, r => r.Id == "restart.cbs-reboot-pending").Status);
        Assert.All(run.Results, r => Assert.Equal(Prerequisite.Restart, r.Prerequisite));
        Assert.True(run.Results.Count >= 12);
    }

    [Fact]
    public async Task AccessDenied_ThroughTheRunner_IsAnErrorWithTheReason_NeverMet()
    {
        var environment = new EnvironmentConfig
        {
            Name = "test",
            Target = TargetVersion.V2022,
            Hosts = [new HostConfig { Name = "orch-ms01", Roles = [HostRole.ManagementServer] }],
        };
        var host = new FakeHostFacts { Processes = [] };
        host.FakeRegistry.Unreadable.Add(@"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending");

        var plan = CheckPlanner.Plan(CheckCatalog.CreateAll(), environment, new CheckSelection(["restart.cbs-reboot-pending"], []));
        var run = await new CheckRunner(new CheckRunnerOptions(), new OneHost(host), TimeProvider.System)
            .RunAsync(plan, environment, TargetVersion.V2022, null, TestContext.Current.CancellationToken);

        var result = Assert.Single(run.Results);
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("access denied", result.Detail, StringComparison.Ordinal);
    }

    private sealed class OneHost(IHostFacts facts) : IHostFactsSource
    {
        public IHostFacts For(HostConfig host) => facts;
    }
}
