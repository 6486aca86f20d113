using OrchUpgradePrep.Config;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Tds;
using OrchUpgradePrep.Tests.Sandbox.SqlServer;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Sql;

/// <summary>The certificate probe with the real SqlClient against the sandbox's TDS server, whose TLS certificate is
/// self-signed (as a SQL Server without a configured certificate presents): no machine trusts it.</summary>
public sealed class SqlClientCertificateProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_self_signed_certificate_is_untrusted_even_when_the_config_trusts_it()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(encryption: TdsEncryptionMode.LoginOnly);
        // The config's own connection works: it trusts any certificate.
        await using (await sql.Connector(SqlEncrypt.Mandatory, trust: true).OpenAsync(Ct))
        {
        }

        var probe = await sql.Connector(SqlEncrypt.Mandatory, trust: true).ProbeCertificateTrustAsync(Ct);

        Assert.Equal(SqlCertificateTrustOutcome.Untrusted, probe.Outcome);
        Assert.Contains("certificate", probe.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SandboxSqlFixture.Password, probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_offers_no_encryption_refuses_what_OLE_DB_19_asks_for()
    {
        await using var sql = await SandboxSqlFixture.StartAsync(encryption: TdsEncryptionMode.NotSupported);

        var probe = await sql.Connector().ProbeCertificateTrustAsync(Ct);

        Assert.Equal(SqlCertificateTrustOutcome.EncryptionRefused, probe.Outcome);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable_not_untrusted()
    {
        var config = new OrchUpgradePrep.Config.SqlConfig { Server = "tcp:127.0.0.1,1", Database = "Orchestrator", Auth = OrchUpgradePrep.Config.SqlAuth.Sql, User = "u", PasswordEnv = "PW" };
        var probe = await new OrchUpgradePrep.Platform.Sql.SqlClientConnector(config, _ => "pw", connectTimeout: TimeSpan.FromSeconds(2)).ProbeCertificateTrustAsync(Ct);

        Assert.Equal(SqlCertificateTrustOutcome.Unreachable, probe.Outcome);
    }

    [Fact]
    public async Task A_missing_password_variable_is_not_probed_and_says_why()
    {
        var config = new OrchUpgradePrep.Config.SqlConfig { Server = "sql01", Database = "Orchestrator", Auth = OrchUpgradePrep.Config.SqlAuth.Sql, User = "u", PasswordEnv = "ORCH_SQL_PW" };
        var probe = await new OrchUpgradePrep.Platform.Sql.SqlClientConnector(config, _ => null).ProbeCertificateTrustAsync(Ct);

        Assert.Equal(SqlCertificateTrustOutcome.NotProbed, probe.Outcome);
        Assert.Contains("ORCH_SQL_PW", probe.Detail, StringComparison.Ordinal);
    }
}
