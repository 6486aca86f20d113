using OrchUpgradePrep.Config;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

/// <summary>policies.verify keeps the documented scalar (docs/configuration.md) and gains a mapping with restoreServer; --restore-server needs a restore.</summary>
public sealed class RestoreServerConfigTests
{
    private static PoliciesConfig Policies(string verify) =>
        ConfigLoader.Parse($"environments:\n  prod:\n    sql: {{ server: sql01 }}\n    policies:\n      verify: {verify}\n", "orchprep.yml").Environments["prod"].Policies;

    [Theory]
    [InlineData("verifyonly", VerifyLevel.Verifyonly)]
    [InlineData("restore", VerifyLevel.Restore)]
    public void The_scalar_of_the_design_stays_valid_and_names_no_restore_server(string text, VerifyLevel level)
    {
        var policies = Policies(text);

        Assert.Equal(level, policies.Verify);
        Assert.Null(policies.RestoreServer);
    }

    [Fact]
    public void The_mapping_names_the_level_and_the_restore_server()
    {
        var policies = Policies("{ level: restore, restoreServer: 'sql02\\inst' }");

        Assert.Equal(VerifyLevel.Restore, policies.Verify);
        Assert.Equal(@"sql02\inst", policies.RestoreServer);
    }

    [Fact]
    public void A_restore_server_without_level_restore_is_an_error_at_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => Policies("{ level: verifyonly, restoreServer: sql02 }"));

        Assert.Contains("'environments.prod.policies.verify.restoreServer' needs 'environments.prod.policies.verify.level: restore'", error.Message, StringComparison.Ordinal);
        Assert.Contains("orchprep.yml(5,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_in_the_mapping_is_an_error()
    {
        var error = Assert.Throws<ConfigException>(() => Policies("{ level: restore, restoreSever: sql02 }"));

        Assert.Contains("unknown key 'restoreSever'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'restoreServer'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_in_the_mapping_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ConfigException>(() => Policies("{ level: restore, password: Hunter2-Secret }"));

        Assert.DoesNotContain("Hunter2-Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_restore_server_override_wins_and_needs_a_restore()
    {
        var file = new EnvironmentConfig { Name = "prod", Policies = new PoliciesConfig { Verify = VerifyLevel.Restore, RestoreServer = "sql02" } };

        Assert.Equal("sql03", ConfigOverrides.Apply(file, new RunOverrides(RestoreServer: " sql03 ")).Policies.RestoreServer);
        var error = Assert.Throws<ConfigException>(() => ConfigOverrides.Apply(file with { Policies = new PoliciesConfig() }, new RunOverrides(RestoreServer: "sql03")));
        Assert.Contains("--restore-server (sql03) needs --verify restore", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigException>(() => ConfigOverrides.Apply(file, new RunOverrides(RestoreServer: "  ")));
    }

    [Fact]
    public void Verify_verifyonly_on_the_command_line_drops_the_files_restore_server()
    {
        var file = new EnvironmentConfig { Name = "prod", Policies = new PoliciesConfig { Verify = VerifyLevel.Restore, RestoreServer = "sql02" } };

        var result = ConfigOverrides.Apply(file, new RunOverrides(Verify: VerifyLevel.Verifyonly));

        Assert.Equal(VerifyLevel.Verifyonly, result.Policies.Verify);
        Assert.Null(result.Policies.RestoreServer);
    }

    [Fact]
    public void Verify_restore_on_the_command_line_with_a_restore_server_applies_to_a_verifyonly_file()
    {
        var file = new EnvironmentConfig { Name = "prod", Policies = new PoliciesConfig() };

        var result = ConfigOverrides.Apply(file, new RunOverrides(Verify: VerifyLevel.Restore, RestoreServer: "sql02,1533"));

        Assert.Equal(VerifyLevel.Restore, result.Policies.Verify);
        Assert.Equal("sql02,1533", result.Policies.RestoreServer);
    }
}
