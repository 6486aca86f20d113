using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>Small facts about representation-model nodes used in messages and checks.</summary>
internal static class YamlNodes
{
    // A plain scalar spelled like this is YAML null: `key:` with nothing after it, `~` or `null`.
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        _ when IsNull(node) => "nothing",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
