namespace OrchUpgradePrep.Config;

/// <summary>Bounds that keep a hostile or broken config from exhausting memory, stack or time.</summary>
internal static class ConfigLimits
{
    // A real orchprep.yml is a few KiB; 1 MiB leaves room for hundreds of environments.
    public const int MaxDocumentBytes = 1024 * 1024;

    // YamlDotNet loads nodes recursively; deep nesting would overflow the stack before we could report it.
    public const int MaxDepth = 64;

    public const int MaxEvents = 200_000;

    // Aliases share nodes, so a small file can expand enormously when walked ("billion laughs").
    public const int MaxNodeVisits = 200_000;
}
