using System.Globalization;

namespace OrchUpgradePrep.Model;

/// <summary>
/// The update level an upgrade targets: a version and, where requirements differ by update rollup, which one
/// ("2022 UR3"). <see cref="UpdateRollup"/> is 0 for the release itself and null where orchprep does not
/// distinguish levels (2012 R2, 2016: no requirement it checks changes with their rollups).
/// </summary>
public sealed record TargetLevel(TargetVersion Version, int? UpdateRollup)
{
    /// <summary>"2022 UR3", "2025 RTM", "2016".</summary>
    public string Name => UpdateRollup switch
    {
        null => Version.ToName(),
        0 => $"{Version.ToName()} RTM",
        { } rollup => string.Create(CultureInfo.InvariantCulture, $"{Version.ToName()} UR{rollup}"),
    };

    /// <summary>True when this level includes update rollup <paramref name="rollup"/> of its version.</summary>
    public bool Includes(int rollup) => (UpdateRollup ?? 0) >= rollup;

    public override string ToString() => Name;
}

/// <summary>
/// The update levels orchprep knows per target version (the SystemCenterDocs release build tables and what's-new
/// pages; docs/requirements.md). A target without a level means the newest known level of that version.
/// </summary>
public static class TargetLevels
{
    private static readonly (TargetVersion Version, int[] Rollups)[] Known =
    [
        // 2019: UR1–UR3 are in the build table; UR4–UR6 exist (Microsoft's 2019 update list) though their builds are not published there.
        (TargetVersion.V2019, [0, 1, 2, 3, 4, 5, 6]),
        (TargetVersion.V2022, [0, 1, 2, 3]),
        (TargetVersion.V2025, [0, 1]),
    ];

    /// <summary>The rollups orchprep knows for a version; empty when it does not distinguish levels.</summary>
    public static IReadOnlyList<int> RollupsOf(TargetVersion version) =>
        Known.FirstOrDefault(k => k.Version == version).Rollups ?? [];

    /// <summary>The newest level orchprep knows of a version: what a bare "2022" means.</summary>
    public static TargetLevel Latest(TargetVersion version) =>
        RollupsOf(version) is { Count: > 0 } rollups ? new TargetLevel(version, rollups[^1]) : new TargetLevel(version, null);

    /// <summary>The level a config or CLI gave (<paramref name="rollup"/> null = the newest known).</summary>
    public static TargetLevel Of(TargetVersion version, int? rollup) =>
        rollup is { } r ? new TargetLevel(version, r) : Latest(version);

    /// <summary>Every spelling the config file accepts, canonical: "2022", "2022 RTM", "2022 UR3" (the schema's enum).</summary>
    public static IReadOnlyList<string> ConfigSpellings { get; } =
    [
        .. TargetVersionNames.All,
        .. Known.SelectMany(k => k.Rollups.Select(r => new TargetLevel(k.Version, r).Name)),
    ];

    /// <summary>For messages: what a target may be.</summary>
    public static string AcceptedForms =>
        $"a version ({string.Join("|", TargetVersionNames.All)}; its newest known update level), or a version with its update level: " +
        string.Join(", ", Known.Select(k => $"{k.Version.ToName()} RTM" + (k.Rollups.Length > 1 ? $"|UR1..UR{k.Rollups[^1]}" : string.Empty))) +
        " (e.g. \"2022 UR3\"; on the command line also 2022UR3)";

    /// <summary>
    /// Parses "2022", "2022 UR3", "2022UR3", "2022 RTM" (case-insensitive, spaces ignored). <paramref name="rollup"/> is
    /// null when no level was named. False for an unknown version or a level orchprep does not know.
    /// </summary>
    public static bool TryParse(string? text, out TargetVersion version, out int? rollup)
    {
        version = default;
        rollup = null;
        var compact = text?.Trim().Replace(" ", string.Empty, StringComparison.Ordinal) ?? string.Empty;
        if (TargetVersionNames.TryParse(compact, out version))
        {
            return true;
        }

        foreach (var (known, rollups) in Known)
        {
            var name = known.ToName();
            if (!compact.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var level = compact[name.Length..];
            int? parsed = level.Equals("RTM", StringComparison.OrdinalIgnoreCase) ? 0
                : level.StartsWith("UR", StringComparison.OrdinalIgnoreCase)
                  && int.TryParse(level.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                : null;
            if (parsed is { } value && rollups.Contains(value))
            {
                version = known;
                rollup = value;
                return true;
            }
        }

        version = default;
        return false;
    }
}
