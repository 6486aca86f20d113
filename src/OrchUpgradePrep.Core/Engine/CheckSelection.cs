using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Engine;

/// <summary><c>--only</c> / <c>--skip</c>: each entry is a check id (<c>requirements.memory</c>) or a prerequisite (<c>restart</c>).</summary>
public sealed record CheckSelection(IReadOnlyList<string> Only, IReadOnlyList<string> Skip)
{
    public static CheckSelection All { get; } = new([], []);

    /// <summary>Throws <see cref="ConfigException"/> (exit 2) naming any entry that matches no check and no prerequisite.</summary>
    public void Validate(IEnumerable<ICheck> catalog)
    {
        var checks = catalog.ToList();
        var unknown = Only.Concat(Skip)
            .Where(entry => !WireNames.TryParse<Prerequisite>(entry, out _) &&
                            !checks.Any(c => string.Equals(c.Id, entry, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigException(
                $"--only/--skip: no check or prerequisite named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. " +
                $"Prerequisites: {string.Join(", ", WireNames.All<Prerequisite>())}. Checks: {string.Join(", ", checks.Select(c => c.Id).Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Whether prepare's steps for a prerequisite run: --only names it or one of its checks (or --only is empty),
    /// and --skip does not name the prerequisite itself. Skipping one check does not skip the step behind it.</summary>
    public bool IncludesSteps(Prerequisite prerequisite)
    {
        var name = WireNames.Of(prerequisite);
        var selected = Only.Count == 0 || Only.Any(e => string.Equals(e, name, StringComparison.OrdinalIgnoreCase) || e.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase));
        return selected && !Skip.Any(e => string.Equals(e, name, StringComparison.OrdinalIgnoreCase));
    }

    public bool IsSelected(ICheck check) => Only.Count == 0 || Only.Any(entry => Matches(entry, check));

    public bool IsSkipped(ICheck check) => Skip.Any(entry => Matches(entry, check));

    private static bool Matches(string entry, ICheck check) =>
        string.Equals(entry, check.Id, StringComparison.OrdinalIgnoreCase) ||
        (WireNames.TryParse<Prerequisite>(entry, out var prerequisite) && prerequisite == check.Prerequisite);
}
