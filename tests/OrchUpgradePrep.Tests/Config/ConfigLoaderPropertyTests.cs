using System.Text;
using CsCheck;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

/// <summary>Hostile orchprep.yml: every input is either a config or a <see cref="ConfigException"/> naming the file.</summary>
public sealed class ConfigLoaderPropertyTests
{
    [Fact]
    public async Task Mutated_configs_load_or_fail_with_a_config_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("config").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("config", input, ct)),
            iter: 400, print: HostileInput.Show);
    }

    [Fact]
    public async Task Random_text_fails_with_a_config_error_naming_the_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await Gen.String[0, 400].SampleAsync(
            async text =>
            {
                var outcome = await HostileInput.RunAsync("config", Encoding.UTF8.GetBytes(text), ct);
                Assert.True(outcome.Accepted || outcome.Error!.StartsWith("fuzz.yml", StringComparison.Ordinal));
            },
            iter: 300);
    }

    [Theory]
    [InlineData(70, "nests deeper than 64 levels")]
    [InlineData(10_000, "nests deeper than 64 levels")]
    public void Deep_nesting_is_refused_before_it_can_exhaust_the_stack(int depth, string expected)
    {
        var yaml = "environments: " + new string('[', depth) + new string(']', depth) + "\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "deep.yml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("deep.yml(", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("environments: \"\\ud800\\u0041\"\n")]
    [InlineData("environments:\n  dev:\n    target: \"\\uD83D\\u0041\"\n")]
    public void Half_a_surrogate_pair_escape_is_a_config_error(string yaml)
    {
        // Found by fuzz/run.sh config: YamlDotNet's scanner threw ArgumentOutOfRangeException out of ConfigLoader.
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "surrogate.yml"));

        Assert.Matches(@"^surrogate\.yml\(\d+,\d+\): YAML syntax error after this point: an escape such as \\uD800 is not a whole Unicode character\.$", error.Message);
    }

    [Theory]
    [InlineData("  : &&", 1, 4)]
    [InlineData("  : }", 1, 4)]
    [InlineData("- : &&\n", 1, 4)]
    [InlineData("environments:\n  : &&\n", 2, 4)]
    [InlineData("environments:\n  dev:\n    : &&\n", 3, 6)]
    public void A_key_whose_value_the_parser_skipped_is_a_config_error(string yaml, int line, int column)
    {
        // Found by AFL (fuzz/run.sh config, AFL mode): YamlDotNet's parser ends the mapping after the key, and
        // YamlStream.Load then threw ArgumentException ("The current event is of an unsupported type") out of Parse.
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "novalue.yml"));

        Assert.Equal($"novalue.yml({line},{column}): YAML syntax error: this key has no value the parser could read; check what follows its ':'.", error.Message);
    }

    [Fact]
    public void A_document_over_the_size_limit_is_refused_before_parsing()
    {
        var yaml = "environments:\n  dev:\n    target: \"" + new string('x', 1024 * 1024) + "\"\n";

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "big.yml"));

        Assert.Equal("big.yml(1,1): the config is larger than 1024 KiB.", error.Message);
    }

    [Fact]
    public void Every_seed_config_is_accepted_or_refused_as_documented()
    {
        foreach (var (name, data) in SeedCorpus.For("config"))
        {
            var outcome = FuzzTargets.Config(data);
            Assert.True(outcome.Accepted == name.StartsWith("valid", StringComparison.Ordinal), $"{name}: {outcome}");
        }
    }
}
