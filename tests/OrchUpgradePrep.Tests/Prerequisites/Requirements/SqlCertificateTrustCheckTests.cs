using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;
using static OrchUpgradePrep.Tests.Prerequisites.Requirements.RequirementFixtures;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class SqlCertificateTrustCheckTests
{
    private static readonly SqlCertificateTrust Untrusted = new(SqlCertificateTrustOutcome.Untrusted,
        "sql01 / Orchestrator: Certificate failed chain validation. Error(s): 'self-signed certificate, [Status: UntrustedRoot]'");

    private static async Task<CheckOutcome> Run(SqlCertificateTrustCheck check, FakeHostFacts host, FakeSqlConnector? sql, TargetVersion target = TargetVersion.V2025) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = target },
                Target = target,
                Host = new HostConfig { Name = host.HostName, Roles = [HostRole.RunbookServer] },
                HostFacts = host,
                Sql = sql,
                Time = TimeProvider.System,
            },
            TestContext.Current.CancellationToken);

    private static FakeHostFacts WithTrustServerCertificate(uint? value)
    {
        var host = Host();
        host.FakeRegistry.Key(SqlCertificateTrustCheck.TrustServerCertificateKey,
            value is { } v ? [FakeRegistry.Sz("Label", "Trust Server Certificate"), FakeRegistry.Dword("Value", v)] : [FakeRegistry.Sz("Label", "Trust Server Certificate")]);
        return host;
    }

    [Fact]
    public async Task A_certificate_the_runner_validates_is_met_and_says_the_hosts_trust_is_their_own()
    {
        var sql = new FakeSqlConnector { CertificateTrust = new(SqlCertificateTrustOutcome.Trusted, "sql01 / Orchestrator: encrypted connection opened with the server certificate validated by this machine") };

        var outcome = await Run(new SqlCertificateTrustCheck(), Host(), sql);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("each host validates the certificate against its own certificate store", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Source.StartsWith("runner → ", StringComparison.Ordinal) && e.Value.StartsWith("trusted:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untrusted_certificate_is_unmet_with_the_chain_error_and_the_three_remedies()
    {
        var outcome = await Run(new SqlCertificateTrustCheck(), WithTrustServerCertificate(0), new FakeSqlConnector { CertificateTrust = Untrusted });

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("TrustServerCertificate is off on this host", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", string.Join(" ", outcome.Evidence.Select(e => e.Value)), StringComparison.Ordinal);
        Assert.Contains("(1) give SQL Server a certificate", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains("(2) add the certificate's root", outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains("(3) accept any certificate on the hosts: run Setup with /TrustServerCertificate", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_certificate_with_TrustServerCertificate_on_the_host_is_a_warning()
    {
        var outcome = await Run(new SqlCertificateTrustCheck(), WithTrustServerCertificate(1), new FakeSqlConnector { CertificateTrust = Untrusted });

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("without proving the server's identity", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("Value 1: TrustServerCertificate is on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_that_does_not_export_the_key_is_unmet_saying_its_setting_is_unknown()
    {
        var host = Host();
        host.FakeRegistry.KnownRoots.Clear();

        var outcome = await Run(new SqlCertificateTrustCheck(), host, new FakeSqlConnector { CertificateTrust = Untrusted });

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("whether TrustServerCertificate is on here is unknown", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("not exported", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Flag2_key_without_its_Value_is_unknown_never_on()
    {
        var outcome = await Run(new SqlCertificateTrustCheck(), WithTrustServerCertificate(null), new FakeSqlConnector { CertificateTrust = Untrusted });

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.StartsWith("no Value DWORD under Flag2: unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_offering_no_encryption_is_unmet_even_with_TrustServerCertificate_on()
    {
        var sql = new FakeSqlConnector { CertificateTrust = new(SqlCertificateTrustOutcome.EncryptionRefused, "sql01 / Orchestrator: The instance of SQL Server you attempted to connect to does not support encryption.") };

        var outcome = await Run(new SqlCertificateTrustCheck(), WithTrustServerCertificate(1), sql);

        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("offers no encryption", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SqlCertificateTrustOutcome.Unreachable)]
    [InlineData(SqlCertificateTrustOutcome.NotProbed)]
    public async Task A_server_that_cannot_be_asked_is_an_error_never_met(SqlCertificateTrustOutcome outcome)
    {
        var sql = new FakeSqlConnector { CertificateTrust = new(outcome, "sql01 / Orchestrator: A network-related or instance-specific error occurred") };

        var result = await Run(new SqlCertificateTrustCheck(), WithTrustServerCertificate(1), sql);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("is unknown", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_denies_access_is_an_error_through_the_runner()
    {
        var host = WithTrustServerCertificate(1);
        host.FakeRegistry.Unreadable.Add(SqlCertificateTrustCheck.TrustServerCertificateKey);
        var sql = new FakeSqlConnector { CertificateTrust = Untrusted };
        var environment = new EnvironmentConfig { Name = "test", Target = TargetVersion.V2025, Hosts = [new HostConfig { Name = host.HostName, Roles = [HostRole.RunbookServer] }] };
        var plan = OrchUpgradePrep.Engine.CheckPlanner.Plan([new SqlCertificateTrustCheck()], environment, OrchUpgradePrep.Engine.CheckSelection.All);

        var run = await new OrchUpgradePrep.Engine.CheckRunner(new OrchUpgradePrep.Engine.CheckRunnerOptions(), new FakeHostFactsSource(host), TimeProvider.System, sql)
            .RunAsync(plan, environment, TargetVersion.V2025, progress: null, TestContext.Current.CancellationToken);

        var result = Assert.Single(run.Results);
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("access denied", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TargetVersion.V2019)]
    [InlineData(TargetVersion.V2022)]
    public async Task Targets_before_2025_are_skipped_without_connecting(TargetVersion target)
    {
        var sql = new FakeSqlConnector { CertificateTrust = Untrusted };

        var outcome = await Run(new SqlCertificateTrustCheck(), Host(), sql, target);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Equal(0, sql.CertificateProbes);
    }

    [Fact]
    public async Task Without_sql_it_is_skipped()
    {
        var outcome = await Run(new SqlCertificateTrustCheck(), Host(), sql: null);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("no sql: section", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_host_shares_one_probe_of_the_server()
    {
        var check = new SqlCertificateTrustCheck();
        var sql = new FakeSqlConnector { CertificateTrust = Untrusted };

        await Run(check, WithTrustServerCertificate(0), sql);
        await Run(check, WithTrustServerCertificate(1), sql);
        await Run(check, Host(), sql);

        Assert.Equal(1, sql.CertificateProbes);
    }
}
