using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// Programs & Features as the registry holds it: the Uninstall entries of both registry views (64-bit and
/// WOW6432Node), filtered by DisplayName. A view the source does not hold (a snapshot without its export) is
/// listed in <see cref="UnknownViews"/>, so a check can say "not exported" instead of "not installed".
/// </summary>
public sealed record UninstallEntries
{
    public const string View64 = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
    public const string View32 = @"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall";

    public required IReadOnlyList<UninstallEntry> Matching { get; init; }

    /// <summary>The views the source could not answer for ("HKLM\…\Uninstall"); empty when both were read.</summary>
    public required IReadOnlyList<string> UnknownViews { get; init; }

    /// <summary>Where each view was read, for evidence ("snapshot 04-uninstall.reg").</summary>
    public required IReadOnlyList<Evidence> Sources { get; init; }

    public static async Task<UninstallEntries> ReadAsync(IRegistry registry, Func<string, bool> displayNameMatches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(displayNameMatches);
        var matching = new List<UninstallEntry>();
        var unknown = new List<string>();
        var sources = new List<Evidence>();
        foreach (var view in new[] { View64, View32 })
        {
            var list = await registry.ReadKeyAsync(view, cancellationToken).ConfigureAwait(false);
            if (list.Presence == RegistryKeyPresence.Unknown)
            {
                unknown.Add(list.Location());
                sources.Add(new Evidence(list.Location(), $"not exported ({list.Source})"));
                continue;
            }

            sources.Add(new Evidence(list.Location(), $"{list.SubKeyNames.Count} entries read ({list.Source})"));
            foreach (var name in list.SubKeyNames)
            {
                var entry = await registry.ReadKeyAsync($@"{view}\{name}", cancellationToken).ConfigureAwait(false);
                if (entry.Value("DisplayName")?.Data is not string displayName || !displayNameMatches(displayName))
                {
                    continue;
                }

                var versionText = entry.Value("DisplayVersion")?.Data as string;
                var version = Version.TryParse(versionText?.Trim(), out var parsed) ? parsed : null;
                matching.Add(new UninstallEntry(entry.Location(), displayName, versionText, version, entry.Value("InstallLocation")?.Data as string));
            }
        }

        return new UninstallEntries { Matching = matching, UnknownViews = unknown, Sources = sources };
    }
}
