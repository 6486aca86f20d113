using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Config;

/// <summary>
/// One mapping of the config, read strictly: merge keys (<c>&lt;&lt;: *anchor</c>) are resolved, every key
/// is checked against the allowed set, and typed reads report wrong types at the value's line and column.
/// </summary>
internal sealed class YamlSection
{
    private const string MergeKey = "<<";

    private readonly ConfigReadContext context;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    private YamlSection(ConfigReadContext context, YamlMappingNode node, string path)
    {
        this.context = context;
        Node = node;
        Path = path;
    }

    public YamlMappingNode Node { get; }

    public ConfigReadContext Context => context;

    /// <summary>Dotted location used in messages, e.g. <c>environments.prod.sql</c>.</summary>
    public string Path { get; }

    public IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries => order.Select(k => entries[k]);

    /// <summary>Opens a mapping; with <paramref name="allowedKeys"/> null any key is accepted (a map of names).</summary>
    public static YamlSection? Open(ConfigReadContext context, YamlNode node, string path, IReadOnlyList<string>? allowedKeys)
    {
        context.Visit();
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"'{path}' must be a mapping (key: value lines), but it is {YamlNodes.Describe(node)}.");
            return null;
        }

        var section = new YamlSection(context, mapping, path);
        section.Collect(mapping, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        if (allowedKeys is not null)
        {
            section.CheckKeys(allowedKeys);
        }

        return section;
    }

    public bool Has(string key) => entries.ContainsKey(key);

    public YamlNode? Get(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YamlScalarNode? KeyNode(string key) => entries.TryGetValue(key, out var entry) ? entry.Key : null;

    public string PathOf(string key) => YamlNodes.Join(Path, key);

    public void Require(string key, string why = "")
    {
        if (!Has(key))
        {
            context.Error(Node, $"'{PathOf(key)}' is required{why}.");
        }
    }

    /// <summary>A scalar's text, or null when absent; an empty value or a non-scalar is an error.</summary>
    public string? Text(string key)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        context.Visit();
        if (YamlNodes.IsNull(node))
        {
            context.Error(node, $"'{PathOf(key)}' has no value; give it one or remove the key.");
            return null;
        }

        if (node is not YamlScalarNode { Value: { } value })
        {
            context.Error(node, $"'{PathOf(key)}' must be a single value, but it is {YamlNodes.Describe(node)}.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            context.Error(node, $"'{PathOf(key)}' is empty; give it a value or remove the key.");
            return null;
        }

        return value;
    }

    public YamlSection? Section(string key, IReadOnlyList<string>? allowedKeys) =>
        Get(key) is { } node ? Open(context, node, PathOf(key), allowedKeys) : null;

    public YamlSequenceNode? List(string key)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        context.Visit();
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        context.Error(node, $"'{PathOf(key)}' must be a list ('- item' lines or [a, b]), but it is {YamlNodes.Describe(node)}.");
        return null;
    }

    // Explicit keys win over merged ones, and earlier merge sources over later ones (YAML merge key rules).
    private void Collect(YamlMappingNode mapping, HashSet<YamlNode> seen)
    {
        if (!seen.Add(mapping))
        {
            context.Error(mapping, "a merge key ('<<') refers back to a mapping that contains it.");
            return;
        }

        var merges = new List<YamlNode>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            context.Visit();
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                context.Error(keyNode, $"keys in '{DisplayPath}' must be plain names, not {YamlNodes.Describe(keyNode)}.");
                continue;
            }

            if (key == MergeKey && scalarKey.Style == YamlDotNet.Core.ScalarStyle.Plain)
            {
                merges.Add(value);
                continue;
            }

            if (entries.TryAdd(key, (scalarKey, value)))
            {
                order.Add(key);
            }
        }

        foreach (var merge in merges)
        {
            var sources = merge is YamlSequenceNode list ? list.Children : [merge];
            foreach (var source in sources)
            {
                if (source is YamlMappingNode sourceMapping)
                {
                    Collect(sourceMapping, seen);
                }
                else
                {
                    context.Error(source, $"a merge key ('<<') in '{DisplayPath}' must refer to a mapping (<<: *anchor), but it is {YamlNodes.Describe(source)}.");
                }
            }
        }
    }

    private string DisplayPath => Path.Length == 0 ? "the top level" : Path;

    private void CheckKeys(IReadOnlyList<string> allowedKeys)
    {
        foreach (var (keyNode, value) in Entries)
        {
            var key = keyNode.Value!;
            if (allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            if (SecretKeys.LooksLikeSecret(key))
            {
                // Never read or echo the value; it is probably a real secret.
                context.Error(keyNode, SecretKeys.Message(key));
                continue;
            }

            var suggestion = KeySuggestion.Closest(key, allowedKeys);
            var hint = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
            context.Error(keyNode, $"unknown key '{key}' in {DisplayPath}.{hint} Allowed keys: {string.Join(", ", allowedKeys)}.");
            ReportSecretsInside(value, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        }
    }

    // An unknown section is not read further, but a secret written inside it must still be flagged.
    private void ReportSecretsInside(YamlNode node, HashSet<YamlNode> seen)
    {
        if (!seen.Add(node))
        {
            return;
        }

        context.Visit();
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && SecretKeys.LooksLikeSecret(name))
                    {
                        context.Error(key, SecretKeys.Message(name));
                    }
                    else
                    {
                        ReportSecretsInside(value, seen);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    ReportSecretsInside(item, seen);
                }

                break;
        }
    }
}
