using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.Sql;

public sealed class SqlClientConnectorTests
{
    private static readonly SqlConfig SqlAuthConfig = new()
    {
        Server = "sql01.contoso.local,1433",
        Database = "Orchestrator",
        Auth = SqlAuth.Sql,
        User = "orchprep",
        PasswordEnv = "ORCH_SQL_PW",
        Encrypt = SqlEncrypt.Strict,
    };

    [Fact]
    public void The_password_comes_from_the_named_variable_and_never_shows_in_the_description()
    {
        var connector = new SqlClientConnector(SqlAuthConfig, name => name == "ORCH_SQL_PW" ? "p@ss;word=1" : null);

        var builder = new SqlConnectionStringBuilder(connector.ConnectionString());

        Assert.Equal("p@ss;word=1", builder.Password);
        Assert.Equal("orchprep", builder.UserID);
        Assert.Equal(SqlConnectionEncryptOption.Strict, builder.Encrypt);
        Assert.Equal("orchprep", builder.ApplicationName);
        Assert.False(builder.IntegratedSecurity);
        Assert.Equal("sql01.contoso.local,1433 / Orchestrator", connector.Description);
    }

    [Fact]
    public void A_missing_password_variable_is_a_clear_error()
    {
        var connector = new SqlClientConnector(SqlAuthConfig, _ => null);
        var ex = Assert.Throws<SqlSessionException>(connector.ConnectionString);
        Assert.Contains("ORCH_SQL_PW", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integrated_auth_sends_no_password()
    {
        var connector = new SqlClientConnector(new SqlConfig { Server = "sql01" }, _ => throw new InvalidOperationException("no variable is read"));
        var builder = new SqlConnectionStringBuilder(connector.ConnectionString());
        Assert.True(builder.IntegratedSecurity);
        Assert.Equal(SqlConnectionEncryptOption.Mandatory, builder.Encrypt);
    }
}
