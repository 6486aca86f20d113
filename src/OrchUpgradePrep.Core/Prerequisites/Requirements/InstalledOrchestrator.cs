using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>What the registry says is installed: the Orchestrator uninstall entries (both registry views) and
/// the SystemCenter2012\Orchestrator key. KB2748951 names other sources (the [dbo].[VERSION] table, the
/// ManagementService.exe file version); the uninstall entry's DisplayVersion is unconfirmed, so a missing or
/// unreadable one makes the version unknown rather than guessed.</summary>
public sealed record InstalledOrchestrator
{
    public const string Uninstall64 = @"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
    public const string Uninstall32 = @"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall";
    public const string ProductKey32 = @"SOFTWARE\WOW6432Node\Microsoft\SystemCenter2012\Orchestrator";
    public const string ProductKey64 = @"SOFTWARE\Microsoft\SystemCenter2012\Orchestrator";

    public required InstallState State { get; init; }

    /// <summary>Uninstall entries whose DisplayName names Orchestrator.</summary>
    public IReadOnlyList<UninstallEntry> Entries { get; init; } = [];

    /// <summary>The oldest component version: the one every upgrade step must start from.</summary>
    public Version? Version => Entries.Where(e => e.Version is not null).Select(e => e.Version!).Min();

    public string? InstallLocation => Entries.Select(e => e.InstallLocation).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));

    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    /// <summary>Registry keys the snapshot did not export, when <see cref="State"/> is Unknown.</summary>
    public IReadOnlyList<string> UnknownKeys { get; init; } = [];

    public static async Task<InstalledOrchestrator> ReadAsync(IRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var entries = new List<UninstallEntry>();
        var evidence = new List<Evidence>();
        var unknown = new List<string>();
        foreach (var root in new[] { Uninstall32, Uninstall64 })
        {
            var list = await registry.ReadKeyAsync(root, cancellationToken).ConfigureAwait(false);
            if (list.Presence == RegistryKeyPresence.Unknown)
            {
                unknown.Add(list.Location());
                continue;
            }

            foreach (var name in list.SubKeyNames)
            {
                var entry = await registry.ReadKeyAsync($@"{root}\{name}", cancellationToken).ConfigureAwait(false);
                // Integration packs and the Integration Toolkit carry their own versions: they must not decide the path.
                if (entry.Value("DisplayName")?.Data is not string displayName
                    || !displayName.Contains("Orchestrator", StringComparison.OrdinalIgnoreCase)
                    || displayName.Contains("Integration", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var versionText = entry.Value("DisplayVersion")?.Data as string;
                var version = System.Version.TryParse(versionText?.Trim(), out var parsed) ? OrchestratorReleases.Normalize(parsed) : null;
                entries.Add(new UninstallEntry(entry.Location(), displayName, versionText, version, entry.Value("InstallLocation")?.Data as string));
                evidence.Add(new Evidence(entry.Location(), $"DisplayName \"{displayName}\", DisplayVersion {(versionText is null ? "(none)" : $"\"{versionText}\"")}"));
            }
        }

        var productKeyPresent = false;
        foreach (var key in new[] { ProductKey32, ProductKey64 })
        {
            var product = await registry.ReadKeyAsync(key, cancellationToken).ConfigureAwait(false);
            if (product.Presence == RegistryKeyPresence.Present)
            {
                productKeyPresent = true;
                evidence.Add(new Evidence(product.Location(), "present"));
            }
        }

        var state = entries.Count > 0 || productKeyPresent
            ? InstallState.Installed
            : unknown.Count > 0 ? InstallState.Unknown : InstallState.NotInstalled;
        if (state == InstallState.NotInstalled)
        {
            evidence.Add(new Evidence($@"HKLM\{Uninstall32}, HKLM\{Uninstall64}", "no entry whose DisplayName names Orchestrator"));
        }

        return new InstalledOrchestrator { State = state, Entries = entries, Evidence = evidence, UnknownKeys = unknown };
    }
}

public sealed record UninstallEntry(string Key, string DisplayName, string? DisplayVersion, Version? Version, string? InstallLocation);

public enum InstallState
{
    Installed,
    NotInstalled,

    /// <summary>The source does not hold the keys (a snapshot without the Uninstall export).</summary>
    Unknown,
}
