using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Config;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class SecretEnvironmentTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["ORCHPREP_WS_USER"] = "orch",
        ["ORCHPREP_WS_PASSWORD"] = "ws-pass-1",
        ["ORCHPREP_SANDBOX_USER"] = "orchprep",
        ["ORCHPREP_SANDBOX_PASSWORD"] = "sbx-pass-1",
        ["MY_SQL_PASSWORD"] = "sql-pass-1",
    };

    [Fact]
    public void UserNames_AreNotSecrets()
    {
        var secrets = SecretEnvironment.WellKnownSecrets(Variables.GetValueOrDefault).ToList();

        Assert.DoesNotContain(SecretEnvironment.WellKnownNames, n => n.EndsWith("_USER", StringComparison.Ordinal));
        Assert.DoesNotContain("orch", secrets);
        Assert.DoesNotContain("orchprep", secrets);
        Assert.Contains("ws-pass-1", secrets);
    }

    [Fact]
    public void ConfigSecrets_AreThePasswordEnvValues_NotTheUserEnvValue()
    {
        var environment = new EnvironmentConfig
        {
            Name = "sandbox",
            Sql = new SqlConfig { Server = "127.0.0.1", Auth = SqlAuth.Sql, User = "orchprep", PasswordEnv = "MY_SQL_PASSWORD" },
            WebService = new WebServiceConfig { Url = new Uri("http://127.0.0.1:81/"), Auth = WebServiceAuth.Basic, UserEnv = "ORCHPREP_SANDBOX_USER", PasswordEnv = "ORCHPREP_SANDBOX_PASSWORD" },
        };

        var variables = SecretEnvironment.ConfigVariables(environment, Variables.GetValueOrDefault).ToList();

        Assert.Equal(["MY_SQL_PASSWORD", "ORCHPREP_SANDBOX_PASSWORD"], variables.Select(v => v.Name));
        Assert.Equal(["sql-pass-1", "sbx-pass-1"], SecretEnvironment.ConfigSecrets(environment, Variables.GetValueOrDefault));
    }
}
