using Xunit;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Engine;
using static OrchUpgradePrep.Tests.Engine.TestEnvironments;

namespace OrchUpgradePrep.Tests.Engine;

public sealed class CheckPlannerTests
{
    private static readonly ICheck WebOnly = ScriptedCheck.Returning("requirements.iis", CheckOutcome.Met("x"), HostRole.WebService, HostRole.WebConsole);
    private static readonly ICheck EveryHost = ScriptedCheck.Returning("requirements.os-version", CheckOutcome.Met("x"));
    private static readonly ICheck Restart = ScriptedCheck.Returning("restart.pending-file-rename", CheckOutcome.Met("x"));
    private static readonly ICheck EnvironmentWide = new ScriptedCheck("backup.verifyonly", (_, _) => Task.FromResult(CheckOutcome.Met("x")), CheckScope.Environment);

    private static readonly EnvironmentConfig Environment = WithHosts(
        Host("orch-ms01", HostRole.ManagementServer, HostRole.RunbookServer),
        Host("orch-web01", HostRole.WebService));

    [Fact]
    public void RoleBoundCheck_IsPlannedOnlyOnHostsWithThatRole()
    {
        var plan = CheckPlanner.Plan([WebOnly, EveryHost], Environment, CheckSelection.All);

        Assert.Equal(["orch-web01"], plan.Where(p => p.Check == WebOnly).Select(p => p.HostLabel));
        Assert.Equal(["orch-ms01", "orch-web01"], plan.Where(p => p.Check == EveryHost).Select(p => p.HostLabel));
    }

    [Fact]
    public void EnvironmentScopedCheck_IsPlannedOnce_UnderTheEnvironmentName()
    {
        var plan = CheckPlanner.Plan([EnvironmentWide], Environment, CheckSelection.All);

        var row = Assert.Single(plan);
        Assert.Null(row.Host);
        Assert.Equal("test", row.HostLabel);
    }

    [Fact]
    public void Only_ByPrerequisite_KeepsThatPrerequisitesChecks()
    {
        var plan = CheckPlanner.Plan([WebOnly, EveryHost, Restart], Environment, new CheckSelection(["restart"], []));

        Assert.All(plan, p => Assert.Equal("restart.pending-file-rename", p.Check.Id));
        Assert.Equal(2, plan.Count);
    }

    [Fact]
    public void Skip_ById_IsReportedAsSkippedRow_NotHidden()
    {
        var plan = CheckPlanner.Plan([EveryHost], Environment, new CheckSelection([], ["requirements.os-version"]));

        Assert.Equal(2, plan.Count);
        Assert.All(plan, p => Assert.Equal("skipped by --skip", p.SkipReason));
    }

    [Fact]
    public void PolicySkip_FromConfig_CarriesTheAdminsReason()
    {
        var environment = Environment with
        {
            Policies = new PoliciesConfig { Restart = new RestartPolicy { Skip = [new SkippedSignal("restart.pending-file-rename", "AV updater, see change 4711")] } },
        };

        var plan = CheckPlanner.Plan([Restart], environment, CheckSelection.All);

        Assert.All(plan, p => Assert.Equal("skipped by policy: AV updater, see change 4711", p.SkipReason));
    }

    [Fact]
    public void Selection_WithUnknownName_IsAUsageErrorListingTheChoices()
    {
        var selection = new CheckSelection(["requirments"], []);

        var error = Assert.Throws<ConfigException>(() => selection.Validate([EveryHost, Restart]));

        Assert.Contains("'requirments'", error.Message, StringComparison.Ordinal);
        Assert.Contains("requirements.os-version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_IsOrderedByPrerequisiteThenIdThenHost()
    {
        var plan = CheckPlanner.Plan([WebOnly, Restart, EveryHost], Environment, CheckSelection.All);

        Assert.Equal(
            ["restart.pending-file-rename@orch-ms01", "restart.pending-file-rename@orch-web01", "requirements.iis@orch-web01", "requirements.os-version@orch-ms01", "requirements.os-version@orch-web01"],
            plan.Select(p => $"{p.Check.Id}@{p.HostLabel}"));
    }
}
