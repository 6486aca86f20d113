using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Accounts;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Accounts;

public sealed class ServiceAccountsCheckTests
{
    private static ServiceInfo Service(string name, string? account) => new(name, name, "Running", "Auto", null, account);

    private static FakeHostFacts Host(params ServiceInfo[] services) => new("orch-ms01") { Services = [.. services, Service("Spooler", "LocalSystem")] };

    private static async Task<CheckOutcome> Run(IHostFacts host) =>
        await new ServiceAccountsCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2025 },
                Target = TargetVersion.V2025,
                Host = new HostConfig { Name = host.HostName, Roles = [HostRole.ManagementServer] },
                HostFacts = host,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    private static AccountState Fine(string account) => new(account, false, false, false, "fake accounts");

    [Fact]
    public async Task Working_domain_account_gmsa_and_built_in_are_met_with_their_kinds()
    {
        var host = Host(Service("omanagement", @"CONTOSO\svc-orch"), Service("omonitor", @"CONTOSO\gmsa-orch$"), Service("oremoting", "LocalSystem"));
        host.Accounts[@"CONTOSO\svc-orch"] = Fine(@"CONTOSO\svc-orch");
        host.Accounts[@"CONTOSO\gmsa-orch$"] = new(@"CONTOSO\gmsa-orch$", false, false, null, "fake accounts");

        var outcome = await Run(host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Source.EndsWith("service omanagement", StringComparison.Ordinal) && e.Value.StartsWith(@"CONTOSO\svc-orch (domain account); locked out: no", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith(@"CONTOSO\gmsa-orch$ (gMSA)", StringComparison.Ordinal));
        Assert.Contains(outcome.Evidence, e => e.Value == "LocalSystem (built-in: no password to expire or lock)");
        Assert.DoesNotContain(outcome.Evidence, e => e.Source.Contains("Spooler", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, false, false, "locked out")]
    [InlineData(false, true, false, "disabled")]
    [InlineData(false, false, true, "password expired")]
    public async Task A_proven_broken_account_is_unmet_naming_service_and_problem(bool locked, bool disabled, bool expired, string problem)
    {
        var host = Host(Service("orunbook", @".\orchsvc"));
        host.Accounts[@".\orchsvc"] = new(@".\orchsvc", locked, disabled, expired, "fake accounts");

        var outcome = await Run(host);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains($@"orunbook as .\orchsvc: {problem}", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("(local account)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_domain_account_whose_state_is_not_readable_is_a_warning_not_a_pass()
    {
        var outcome = await Run(Host(Service("omanagement", @"CONTOSO\svc-orch")));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(@"omanagement as CONTOSO\svc-orch", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Get-ADUser", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logon_account_the_source_does_not_give_is_a_warning()
    {
        var outcome = await Run(Host(Service("omanagement", null)));
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("logon account not read", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_to_account_state_is_a_warning_with_the_error()
    {
        var host = Host(Service("omanagement", @"CONTOSO\svc-orch"));
        host.AccountsUnreadable = true;
        var outcome = await Run(host);
        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("access denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreadable_services_are_an_error_and_no_orchestrator_service_is_skipped()
    {
        Assert.Equal(CheckStatus.Error, (await Run(new FakeHostFacts("orch-ms01"))).Status);
        Assert.Equal(CheckStatus.Skipped, (await Run(new FakeHostFacts("orch-ms01") { Services = [Service("Spooler", "LocalSystem")] })).Status);
    }
}
