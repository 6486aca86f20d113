using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// The integration packs registered in the Orchestrator database, which runbooks use each, and which are deployed on
/// this host. "Orchestrator 2019 IPs aren't supported on Orchestrator 2022" (the 2022 release notes): for a 2022 or
/// later target every pack built for 2019 or earlier (its version 10.19.x, 7.x …) is unmet, naming the runbooks that
/// depend on it. Where the data comes from is UNCONFIRMED (<see cref="IntegrationPackInventory"/>; the per-host
/// registry key <see cref="DeployedKey32"/>): a table that is not there is an error naming it, never met; once the
/// packs are read, the confirmed release-note fact decides (docs/adr/0019-accounts-prerequisite-and-unconfirmed-tables.md).
/// </summary>
public sealed class IntegrationPacksCheck : ICheck
{
    public const string ReleaseNotes = "https://learn.microsoft.com/system-center/orchestrator/release-notes-orchestrator-2022";

    /// <summary>Integration packs deployed on a runbook server or Designer machine (community, UNCONFIRMED): one subkey a pack.</summary>
    public const string DeployedKey32 = @"SOFTWARE\WOW6432Node\Microsoft\SystemCenter2012\Orchestrator\IPs";

    /// <summary>The same for the 64-bit Orchestrator 2022 and later (UNCONFIRMED; read as well).</summary>
    public const string DeployedKey64 = @"SOFTWARE\Microsoft\SystemCenter2012\Orchestrator\IPs";

    public string Id => "requirements.integration-packs";
    public string Title => "Integration packs are built for the target version";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole> { HostRole.ManagementServer, HostRole.RunbookServer };

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null)
        {
            return CheckOutcome.Skipped("not configured: integration packs are read from the database, and the environment has no sql: section.");
        }

        var source = $"{context.Sql.Description}: dbo.CAPS";
        IntegrationPackInventory inventory;
        try
        {
            await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
            inventory = await IntegrationPackInventory.ReadAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex)
        {
            return CheckOutcome.Error($"The integration packs could not be read: {ex.Message}", new Evidence(source, ex.Number == 229 ? "permission denied (Msg 229)" : $"Msg {ex.Number}"));
        }

        var tables = new Evidence($"{context.Sql.Description}: INFORMATION_SCHEMA.COLUMNS", string.Join("; ", inventory.Tables));
        if (inventory.Error is { } error)
        {
            return CheckOutcome.Error($"Cannot tell which integration packs are registered: {error}", tables);
        }

        var target = UpgradePaths.LineOf(context.Target);
        var installed = await InstalledOrchestrator.ReadAsync(context.Facts.Registry, cancellationToken).ConfigureAwait(false);
        var deployed = await ReadDeployedAsync(context.Facts.Registry, cancellationToken).ConfigureAwait(false);
        var evidence = new List<Evidence>
        {
            new(context.Facts.SourceDescription + ": installed Orchestrator", installed.Version is { } v ? OrchestratorReleases.Describe(v) : $"unknown ({installed.State})"),
            new(deployed.Source, deployed.Description),
        };

        var unsupported = new List<string>();
        var unknownBuild = new List<string>();
        var notDeployed = new List<string>();
        foreach (var pack in inventory.Packs)
        {
            var line = System.Version.TryParse(pack.Version, out var version) ? OrchestratorReleases.LineOf(version) : null;
            var users = pack.Runbooks is null ? "used by: unknown" : pack.Runbooks.Count == 0 ? "used by no runbook" : $"used by {pack.Runbooks.Count} runbook(s): {string.Join(", ", pack.Runbooks)}";
            var here = deployed.Contains(pack) switch { true => "deployed here", false => "not deployed here", null => "deployment here unknown" };
            var built = line is { } l ? $"built for {OrchestratorReleases.NameOf(l)}" : "build not recognised";
            evidence.Add(new Evidence(source, $"{pack.Name} {pack.Version ?? "(no version)"} ({built}); {users}; {here}"));
            var name = $"{pack.Name} {pack.Version ?? "(no version)"}";
            if (target >= OrchestratorLine.V2022 && line is { } packLine && packLine <= OrchestratorLine.V2019)
            {
                unsupported.Add(pack.Runbooks is { Count: > 0 } r ? $"{name} (used by {r.Count}: {string.Join(", ", r)})" : name);
            }
            else if (target >= OrchestratorLine.V2022 && line is null)
            {
                unknownBuild.Add(name);
            }

            if (deployed.Contains(pack) == false && pack.Runbooks is { Count: > 0 } && context.Host?.Roles.Contains(HostRole.RunbookServer) == true)
            {
                notDeployed.Add(name);
            }
        }

        if (inventory.UsageUnknown is { } usageUnknown)
        {
            evidence.Add(new Evidence(tables.Source, usageUnknown));
        }

        evidence.Add(tables);
        var targetName = OrchestratorReleases.NameOf(target);
        if (unsupported.Count > 0)
        {
            return CheckOutcome.Unmet(
                $"{unsupported.Count} integration pack(s) built for Orchestrator 2019 or earlier, which Orchestrator {targetName} does not support: {string.Join("; ", unsupported)}.",
                $"Before the upgrade, get each pack's version built for Orchestrator {targetName} (Microsoft's or the vendor's), plan to register and deploy it after the upgrade, and test the runbooks named here with it; " +
                $"a pack with no {targetName} version means rewriting those runbooks. Integration pack downgrade is not supported. Source: \"Orchestrator 2019 IPs aren't supported on Orchestrator 2022\", {ReleaseNotes}.",
                [.. evidence]);
        }

        if (unknownBuild.Count > 0 || notDeployed.Count > 0)
        {
            var parts = new List<string>();
            if (unknownBuild.Count > 0)
            {
                parts.Add($"whether {string.Join(", ", unknownBuild)} is built for Orchestrator {targetName} cannot be told from its version");
            }

            if (notDeployed.Count > 0)
            {
                parts.Add($"{string.Join(", ", notDeployed)} is used by runbooks but not deployed on this runbook server");
            }

            return CheckOutcome.Warning(
                string.Join("; ", parts) + ".",
                $"Ask each pack's vendor whether it supports Orchestrator {targetName}; deploy packs the runbooks use on every runbook server (Deployment Manager).",
                [.. evidence]);
        }

        return CheckOutcome.Met(
            inventory.Packs.Count == 0
                ? "No integration pack is registered (only Orchestrator's built-in activities)."
                : $"{inventory.Packs.Count} integration pack(s) registered, none built for a version Orchestrator {targetName} does not support.",
            [.. evidence]);
    }

    private static async Task<DeployedPacks> ReadDeployedAsync(IRegistry registry, CancellationToken cancellationToken)
    {
        var packs = new List<(string Key, string? Name)>();
        var sources = new List<string>();
        foreach (var root in new[] { DeployedKey32, DeployedKey64 })
        {
            var key = await registry.ReadKeyAsync(root, cancellationToken).ConfigureAwait(false);
            if (key.Presence == RegistryKeyPresence.Unknown)
            {
                continue;
            }

            sources.Add(key.Location());
            foreach (var sub in key.SubKeyNames)
            {
                var entry = await registry.ReadKeyAsync($@"{root}\{sub}", cancellationToken).ConfigureAwait(false);
                packs.Add((sub, entry.Value("Name")?.Data as string));
            }
        }

        return new DeployedPacks(sources.Count > 0 ? packs : null, sources.Count > 0 ? string.Join(", ", sources) : $@"HKLM\{DeployedKey32}, HKLM\{DeployedKey64}");
    }

    /// <summary>What the host's IPs keys list (subkey name and its Name value); null = the source does not hold them.</summary>
    private sealed record DeployedPacks(IReadOnlyList<(string Key, string? Name)>? Packs, string Source)
    {
        public string Description => Packs is null
            ? "not in the source (not exported): deployment unknown"
            : Packs.Count == 0 ? "no integration pack deployed" : string.Join(", ", Packs.Select(p => p.Name ?? p.Key).Distinct(StringComparer.OrdinalIgnoreCase));

        public bool? Contains(IntegrationPack pack) => Packs?.Any(p =>
            string.Equals(p.Name, pack.Name, StringComparison.OrdinalIgnoreCase)
            || (Guid.TryParse(p.Key, out var id) && id == pack.Id));
    }
}
