using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Accounts;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Accounts;

public sealed class UpgradeAdminCheckTests
{
    private static FakeHostFacts Host(GroupMember[] admins, GroupMember[]? orchestratorGroup = null)
    {
        var host = new FakeHostFacts("orch-rb03") { LocalGroups = new(StringComparer.OrdinalIgnoreCase) { ["Administrators"] = [.. admins] } };
        if (orchestratorGroup is not null)
        {
            host.LocalGroups["OrchestratorSystemGroup"] = [.. orchestratorGroup];
        }

        return host;
    }

    private static async Task<CheckOutcome> Run(IHostFacts host, string? configured = @"CONTOSO\svc-orch", string runAs = @"CONTOSO\runner") =>
        await new UpgradeAdminCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2025, Policies = new PoliciesConfig { UpgradeAccount = configured } },
                Target = TargetVersion.V2025,
                Host = new HostConfig { Name = host.HostName, Roles = [HostRole.RunbookServer] },
                HostFacts = host,
                Time = TimeProvider.System,
                RunAs = runAs,
            },
            TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(@"CONTOSO\svc-orch")]
    [InlineData(@"contoso\SVC-ORCH")]
    [InlineData("svc-orch@contoso.local")]
    public async Task A_direct_member_of_administrators_is_met(string member)
    {
        var outcome = await Run(Host([new(@"ORCH-RB03\Administrator"), new(member)]));
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source == "policies.upgradeAccount" && e.Value == @"CONTOSO\svc-orch");
    }

    [Fact]
    public async Task Only_in_orchestrator_system_group_is_unmet_and_says_why_it_matters()
    {
        var outcome = await Run(Host([new(@"ORCH-RB03\Administrator")], [new(@"CONTOSO\svc-orch")]));

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(@"CONTOSO\svc-orch is not a local Administrator on orch-rb03", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("member of OrchestratorSystemGroup only", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("local group OrchestratorSystemGroup", StringComparison.Ordinal) && e.Value == @"CONTOSO\svc-orch");
    }

    [Fact]
    public async Task Not_a_member_anywhere_is_unmet_without_the_group_remark()
    {
        var outcome = await Run(Host([new(@"ORCH-RB03\Administrator")], []));
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.DoesNotContain("OrchestratorSystemGroup only", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_group_in_administrators_makes_it_a_warning_naming_the_group()
    {
        var outcome = await Run(Host([new(@"ORCH-RB03\Administrator"), new(@"CONTOSO\Domain Admins", "Group"), new(@"BUILTIN\Users", "Group")], [new(@"CONTOSO\svc-orch")]));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(@"through CONTOSO\Domain Admins", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(@"BUILTIN\Users", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("whoami /groups", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_key_the_account_orchprep_runs_as_is_checked()
    {
        var outcome = await Run(Host([new(@"CONTOSO\runner")]), configured: null);
        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.StartsWith("the account orchprep runs as", StringComparison.Ordinal) && e.Value == @"CONTOSO\runner");
    }

    [Fact]
    public async Task An_unreadable_or_unexported_administrators_group_is_an_error()
    {
        var outcome = await Run(new FakeHostFacts("orch-rb03"));
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("unknown", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_orchestrator_group_still_gives_the_verdict_with_the_gap_in_evidence()
    {
        var outcome = await Run(Host([new(@"ORCH-RB03\Administrator")]));
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("local group OrchestratorSystemGroup", StringComparison.Ordinal) && e.Value.StartsWith("unknown", StringComparison.Ordinal));
    }
}
