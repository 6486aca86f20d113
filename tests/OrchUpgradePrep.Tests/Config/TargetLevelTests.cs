using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

public sealed class TargetLevelTests
{
    [Theory]
    [InlineData("2022", TargetVersion.V2022, null, "2022 UR3")]
    [InlineData("2022 UR3", TargetVersion.V2022, 3, "2022 UR3")]
    [InlineData("2022UR1", TargetVersion.V2022, 1, "2022 UR1")]
    [InlineData("2022ur2", TargetVersion.V2022, 2, "2022 UR2")]
    [InlineData("2022 RTM", TargetVersion.V2022, 0, "2022 RTM")]
    [InlineData("2025", TargetVersion.V2025, null, "2025 UR1")]
    [InlineData("2019", TargetVersion.V2019, null, "2019 UR6")]
    [InlineData("2016", TargetVersion.V2016, null, "2016")]
    [InlineData("2012R2", TargetVersion.V2012R2, null, "2012R2")]
    public void A_target_names_a_version_and_optionally_its_level(string text, TargetVersion version, int? rollup, string level)
    {
        Assert.True(TargetLevels.TryParse(text, out var parsedVersion, out var parsedRollup));
        Assert.Equal((version, rollup), (parsedVersion, parsedRollup));
        Assert.Equal(level, TargetLevels.Of(parsedVersion, parsedRollup).Name);
    }

    [Theory]
    [InlineData("2022 UR4")]
    [InlineData("2025 UR2")]
    [InlineData("2016 UR8")]
    [InlineData("2022 SP1")]
    [InlineData("2020")]
    public void Unknown_levels_are_rejected(string text) =>
        Assert.False(TargetLevels.TryParse(text, out _, out _));

    [Fact]
    public void The_config_file_takes_a_level_and_the_environment_names_it()
    {
        var env = ConfigLoader.Parse("environments:\n  prod:\n    target: \"2022 UR1\"\n    sql: { server: s }\n", "t.yml").Environments["prod"];

        Assert.Equal((TargetVersion.V2022, 1), (env.Target!.Value, env.TargetUpdateRollup!.Value));
        Assert.Equal("2022 UR1", env.TargetLevel!.Name);
    }

    [Fact]
    public void A_bad_level_in_the_config_lists_the_accepted_forms()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("environments:\n  prod:\n    target: \"2022 UR9\"\n    sql: { server: s }\n", "t.yml"));

        Assert.Contains("'2022 UR9', which is not a target version", error.Message, StringComparison.Ordinal);
        Assert.Contains("2022 RTM|UR1..UR3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_target_override_replaces_the_files_level_with_the_newest()
    {
        var fromFile = new EnvironmentConfig { Name = "prod", Target = TargetVersion.V2022, TargetUpdateRollup = 1 };

        var bare = ConfigOverrides.Apply(fromFile, new RunOverrides(Target: TargetVersion.V2022));
        var named = ConfigOverrides.Apply(fromFile, new RunOverrides(Target: TargetVersion.V2025, TargetUpdateRollup: 0));
        var none = ConfigOverrides.Apply(fromFile, RunOverrides.None);

        Assert.Equal("2022 UR3", bare.TargetLevel!.Name);
        Assert.Equal("2025 RTM", named.TargetLevel!.Name);
        Assert.Equal("2022 UR1", none.TargetLevel!.Name);
    }
}
