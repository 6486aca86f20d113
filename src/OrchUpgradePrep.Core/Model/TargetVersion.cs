namespace OrchUpgradePrep.Model;

/// <summary>Orchestrator versions an upgrade can target. Config and CLI spell them 2012R2, 2016, …</summary>
public enum TargetVersion
{
    V2012R2,
    V2016,
    V2019,
    V2022,
    V2025,
}

public static class TargetVersionNames
{
    private static readonly (TargetVersion Version, string Name)[] Names =
    [
        (TargetVersion.V2012R2, "2012R2"),
        (TargetVersion.V2016, "2016"),
        (TargetVersion.V2019, "2019"),
        (TargetVersion.V2022, "2022"),
        (TargetVersion.V2025, "2025"),
    ];

    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    public static string ToName(this TargetVersion version) => Names.First(n => n.Version == version).Name;

    public static bool TryParse(string? text, out TargetVersion version)
    {
        var trimmed = text?.Trim().Replace(" ", "", StringComparison.Ordinal);
        foreach (var (v, name) in Names)
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                version = v;
                return true;
            }
        }

        version = default;
        return false;
    }
}
