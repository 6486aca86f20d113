using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class SqlRequirementChecksTests
{
    private static async Task<CheckOutcome> Run(ICheck check, FakeSqlConnector? sql, TargetVersion target = TargetVersion.V2022) =>
        await check.RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = target, Sql = sql is null ? null : new SqlConfig { Server = "sql01" } },
                Target = target,
                Time = TimeProvider.System,
                Sql = sql,
            },
            TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("15.0.4382.1", TargetVersion.V2022, CheckStatus.Met)]
    [InlineData("16.0.4135.4", TargetVersion.V2022, CheckStatus.Warning)]
    [InlineData("14.0.3465.1", TargetVersion.V2022, CheckStatus.Warning)]
    [InlineData("13.0.6300.2", TargetVersion.V2022, CheckStatus.Unmet)]
    [InlineData("16.0.4135.4", TargetVersion.V2025, CheckStatus.Met)]
    [InlineData("13.0.6300.2", TargetVersion.V2019, CheckStatus.Met)]
    [InlineData("15.0.4382.1", TargetVersion.V2019, CheckStatus.Unmet)]
    [InlineData("10.50.6000.34", TargetVersion.V2012R2, CheckStatus.Met)]
    [InlineData("10.0.6000.29", TargetVersion.V2012R2, CheckStatus.Unmet)]
    public async Task Sql_version_follows_the_requirement_table(string version, TargetVersion target, CheckStatus expected)
    {
        var outcome = await Run(new SqlServerVersionCheck(), new FakeSqlConnector().ServerProperties(version, level: "SP3"), target);
        Assert.Equal(expected, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains($"ProductVersion {version}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("16.0.4135.4", "2019", CheckStatus.Met, "SQL Server 2022 Standard Edition (64-bit) is supported by Orchestrator 2019 UR6")]
    [InlineData("16.0.4135.4", "2019 UR3", CheckStatus.Warning, "which update added it is unconfirmed")]
    [InlineData("17.0.1000.7", "2025 UR1", CheckStatus.Met, "supported by Orchestrator 2025 UR1")]
    [InlineData("17.0.1000.7", "2025", CheckStatus.Met, "supported by Orchestrator 2025 UR1")]
    [InlineData("17.0.1000.7", "2025 RTM", CheckStatus.Unmet, "from UR1 on; the target level 2025 RTM predates it")]
    [InlineData("17.0.1000.7", "2022 UR3", CheckStatus.Unmet, "not supported by Orchestrator 2022 UR3")]
    public async Task Sql_support_follows_the_target_update_level(string version, string target, CheckStatus expected, string detail)
    {
        var level = RequirementFixtures.Level(target);
        var outcome = await new SqlServerVersionCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig { Name = "test", Target = level.Version, Sql = new SqlConfig { Server = "sql01" } },
                Target = level.Version,
                TargetLevel = level,
                Time = TimeProvider.System,
                Sql = new FakeSqlConnector().ServerProperties(version, level: "RTM"),
            },
            TestContext.Current.CancellationToken);

        Assert.Equal(expected, outcome.Status);
        Assert.Contains(detail, outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, CheckStatus.Warning, "Express")]
    [InlineData(5, CheckStatus.Unmet, "Azure SQL Database")]
    [InlineData(3, CheckStatus.Met, "supported")]
    public async Task Edition_matters(int engineEdition, CheckStatus expected, string text)
    {
        var outcome = await Run(new SqlServerVersionCheck(), new FakeSqlConnector().ServerProperties(engineEdition: engineEdition));
        Assert.Equal(expected, outcome.Status);
        Assert.Contains(text, outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_2008_r2_rtm_is_too_old_for_2012_r2()
    {
        var outcome = await Run(new SqlServerVersionCheck(), new FakeSqlConnector().ServerProperties("10.50.1600.1", level: "RTM"), TargetVersion.V2012R2);
        Assert.Equal(CheckStatus.Unmet, outcome.Status);
        Assert.Contains("SP1", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sql_config_the_sql_checks_are_skipped_as_not_configured()
    {
        Assert.Equal("not configured: the environment has no sql: section.", (await Run(new SqlServerVersionCheck(), null)).Detail);
        Assert.Equal(CheckStatus.Skipped, (await Run(new SqlCollationCheck(), null)).Status);
    }

    [Theory]
    [InlineData("SQL_Latin1_General_CP1_CI_AS", "SQL_Latin1_General_CP1_CI_AS", CheckStatus.Met)]
    [InlineData("Latin1_General_CI_AS", "SQL_Latin1_General_CP1_CI_AS", CheckStatus.Unmet)]
    [InlineData("SQL_Latin1_General_CP1_CI_AS", "Latin1_General_100_CI_AS", CheckStatus.Warning)]
    public async Task Collation_of_database_and_instance(string database, string instance, CheckStatus expected)
    {
        var sql = new FakeSqlConnector().ServerProperties(collation: instance)
            .Answer("FROM sys.databases", FakeSqlConnector.Row(("name", "Orchestrator"), ("collation_name", database), ("recovery_model_desc", "FULL"), ("state_desc", "ONLINE")));
        var outcome = await Run(new SqlCollationCheck(), sql);
        Assert.Equal(expected, outcome.Status);
        Assert.Contains(outcome.Evidence, e => e.Value.Contains("recovery model FULL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_database_is_an_error()
    {
        var sql = new FakeSqlConnector().ServerProperties().Answer("FROM sys.databases");
        var outcome = await Run(new SqlCollationCheck(), sql);
        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("does not exist", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_mode_sql_checks_only_read()
    {
        var sql = new FakeSqlConnector().ServerProperties()
            .Answer("FROM sys.databases", FakeSqlConnector.Row(("name", "Orchestrator"), ("collation_name", "SQL_Latin1_General_CP1_CI_AS"), ("recovery_model_desc", "SIMPLE"), ("state_desc", "ONLINE")));
        await Run(new SqlServerVersionCheck(), sql);
        await Run(new SqlCollationCheck(), sql);
        Assert.All(sql.Received, q => Assert.StartsWith("SELECT ", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_login_failure_propagates_for_the_runner_to_report()
    {
        var sql = new FakeSqlConnector { FailOpen = new SqlSessionException("Login failed for user 'orchprep'.", [new SqlMessage(18456, 14, 1, "Login failed for user 'orchprep'.")]) };
        var ex = await Assert.ThrowsAsync<SqlSessionException>(() => Run(new SqlServerVersionCheck(), sql));
        Assert.Equal(18456, ex.Number);
    }
}
