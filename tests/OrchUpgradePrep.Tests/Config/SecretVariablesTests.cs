using OrchUpgradePrep.Config;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

public sealed class SecretVariablesTests
{
    private static readonly Uri Url = new("http://orch-web01:81/Orchestrator2012/Orchestrator.svc/");

    private static EnvironmentConfig Environment(SqlConfig? sql = null, WebServiceConfig? web = null) =>
        new() { Name = "prod", Sql = sql, WebService = web };

    [Fact]
    public void SqlAuth_NeedsItsPasswordVariable_IntegratedNeedsNone()
    {
        Assert.Equal([("ORCH_SQL", "sql.passwordEnv")], SecretVariables.Required(Environment(new SqlConfig { Server = "s", Auth = SqlAuth.Sql, User = "u", PasswordEnv = "ORCH_SQL" })));
        Assert.Empty(SecretVariables.Required(Environment(new SqlConfig { Server = "s" })));
    }

    [Fact]
    public void BasicWebService_NeedsUserAndPassword_NegotiateOnlyWhenItNamesThem()
    {
        Assert.Equal(
            [("WS_USER", "webService.userEnv"), ("WS_PASS", "webService.passwordEnv")],
            SecretVariables.Required(Environment(web: new WebServiceConfig { Url = Url, Auth = WebServiceAuth.Basic, UserEnv = "WS_USER", PasswordEnv = "WS_PASS" })));
        Assert.Empty(SecretVariables.Required(Environment(web: new WebServiceConfig { Url = Url })));
        Assert.Equal(2, SecretVariables.Required(Environment(web: new WebServiceConfig { Url = Url, UserEnv = "WS_USER", PasswordEnv = "WS_PASS" })).Count);
        Assert.Empty(SecretVariables.Required(Environment(web: new WebServiceConfig { Url = Url, Auth = WebServiceAuth.None, UserEnv = "WS_USER" })));
    }

    [Fact]
    public void MissingVariables_SqlAndWebServiceAlike_AreOneConfigErrorNamingEachAndNoValue()
    {
        var environment = Environment(
            new SqlConfig { Server = "s", Auth = SqlAuth.Sql, User = "u", PasswordEnv = "ORCH_SQL" },
            new WebServiceConfig { Url = Url, Auth = WebServiceAuth.Basic, UserEnv = "WS_USER", PasswordEnv = "WS_PASS" });
        var variables = new Dictionary<string, string> { ["WS_USER"] = "CONTOSO\\svc-orch", ["WS_PASS"] = "" };

        var error = Assert.Throws<ConfigException>(() => SecretVariables.EnsureSet(environment, variables.GetValueOrDefault, "orchprep.yml"));

        Assert.StartsWith("orchprep.yml: environment 'prod' needs ORCH_SQL (sql.passwordEnv), WS_PASS (webService.passwordEnv), not set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-orch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllVariablesSet_PassesQuietly()
    {
        var environment = Environment(new SqlConfig { Server = "s", Auth = SqlAuth.Sql, User = "u", PasswordEnv = "ORCH_SQL" });

        SecretVariables.EnsureSet(environment, name => name == "ORCH_SQL" ? "pw" : null, "orchprep.yml");
    }
}
