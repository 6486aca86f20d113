using OrchUpgradePrep.Config;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

/// <summary>Parses YAML written as lines (so line numbers in tests are easy to read) and asserts on errors.</summary>
internal static class ConfigAssert
{
    public const string Source = "orchprep.yml";

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static OrchPrepConfig Parse(params string[] lines) => ConfigLoader.Parse(Lines(lines), Source);

    public static string Fails(params string[] lines) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Lines(lines), Source)).Message;

    /// <summary>Asserts that the message has a line <c>orchprep.yml(line,column): …</c> containing every fragment.</summary>
    public static void HasError(string message, int line, int column, params string[] fragments)
    {
        var prefix = $"{Source}({line},{column}): ";
        var matching = message.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.True(matching.Count > 0, $"expected an error at {prefix} in:\n{message}");
        Assert.Contains(matching, l => fragments.All(f => l.Contains(f, StringComparison.Ordinal)));
    }
}
