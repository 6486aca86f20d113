using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Engine;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

/// <summary>Check mode, with the real SQL and web service clients against every runbooks scenario, sends no write
/// statement, no stop request and changes no service (the sandbox's audit logs).</summary>
public sealed class CheckModeWritesNothingTests
{
    [Theory]
    [InlineData("healthy")]
    [InlineData("busy")]
    [InlineData("orphans")]
    [InlineData("flaky-web")]
    [InlineData("web-down")]
    public async Task Every_catalog_check_reads_only(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await SandboxSession.StartAsync(scenario, TimeProvider.System, ct, sqlPassword: "Pw-check-1");
        string? Variables(string name) => name == SandboxSession.PasswordVariable ? "Pw-check-1" : name == SandboxSession.UserVariable ? "orchprep" : null;
        var sql = new SqlClientConnector(session.Environment.Sql!, Variables);
        using var web = OrchestratorApiFactory.Create(session.Environment.WebService!, Variables,
            new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);
        var runner = new CheckRunner(new CheckRunnerOptions { MaxParallelism = 4, CheckTimeout = TimeSpan.FromMinutes(1) }, session.HostFacts, TimeProvider.System, sql,
            new System.IO.Abstractions.FileSystem(), new RunbookInventory(web, new OrchestratorDatabase(sql)));
        var plan = CheckPlanner.Plan(CheckCatalog.CreateAll(), session.Environment, CheckSelection.All);

        var run = await runner.RunAsync(plan, session.Environment, TargetVersion.V2022, null, ct);

        Assert.DoesNotContain(run.Results, r => r.Prerequisite == Prerequisite.Runbooks && r.Status == CheckStatus.Error);
        Assert.Contains(run.Results, r => r.Id == "runbooks.none-running" && r.Status == CheckStatus.Unmet);
        Assert.Empty(SandboxSqlAudit.Writes(session.SqlServer.Audit));
        Assert.Empty(session.Orchestrator.Changes);
        Assert.DoesNotContain(session.WebService?.Audit ?? [], r => r.IsWrite);
    }
}
