using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>A registered integration pack and the runbooks whose activities come from it (null = not known: the
/// tables that link activities to packs were not found).</summary>
public sealed record IntegrationPack(Guid Id, string Name, string? Version, IReadOnlyList<string>? Runbooks);

/// <summary>
/// The integration packs registered in the Orchestrator database and the runbooks that use each. Every name here is
/// UNCONFIRMED (community queries, docs/facts/orchestrator-versions.md#database-tables-read-defensively): packs in
/// dbo.CAPS (UniqueID, Name, Version); a runbook's activities in dbo.OBJECTS (ParentID = the runbook, ObjectType = the
/// activity type); an activity type's pack in dbo.OBJECTTYPES.PrimaryGroup (= CAPS.UniqueID). INFORMATION_SCHEMA is
/// asked first: without CAPS the inventory is an error naming it (never "no packs"); without the usage tables the packs
/// are still listed, their runbooks unknown.
/// </summary>
public sealed class IntegrationPackInventory
{
    public const string PacksQuery = "SELECT UniqueID, Name, Version FROM dbo.CAPS";
    public const string ObjectTypesQuery = "SELECT UniqueID, Name, PrimaryGroup FROM dbo.OBJECTTYPES";
    public const string ActivitiesQuery = "SELECT UniqueID, ParentID, Name, ObjectType FROM dbo.OBJECTS";

    public IReadOnlyList<IntegrationPack> Packs { get; init; } = [];

    /// <summary>Why the packs could not be read ("dbo.CAPS not found …"); null when they were.</summary>
    public string? Error { get; init; }

    /// <summary>Why the runbooks using each pack are unknown; null when they are known.</summary>
    public string? UsageUnknown { get; init; }

    /// <summary>What the server showed of the tables, for evidence.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    public static async Task<IntegrationPackInventory> ReadAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var tables = await OrchestratorTables.ReadAsync(session, cancellationToken).ConfigureAwait(false);
        string[] described = [tables.Describe("CAPS"), tables.Describe("OBJECTTYPES"), tables.Describe("OBJECTS")];
        var missingPacks = tables.Missing("CAPS", "UniqueID", "Name", "Version");
        if (missingPacks.Count > 0)
        {
            return new IntegrationPackInventory
            {
                Error = $"{string.Join(", ", missingPacks)} not found: the registered integration packs cannot be read (UNCONFIRMED table; missing, or the login has no permission on it).",
                Tables = described,
            };
        }

        var packRows = await session.QueryAsync(PacksQuery, null, cancellationToken).ConfigureAwait(false);
        var missingUsage = tables.Missing("OBJECTTYPES", "UniqueID", "PrimaryGroup")
            .Concat(tables.Missing("OBJECTS", "ParentID", "ObjectType"))
            .Concat(tables.Missing("POLICIES", "UniqueID", "ParentID", "Name"))
            .ToList();
        Dictionary<Guid, List<string>>? usage = null;
        if (missingUsage.Count == 0)
        {
            var typeToPack = new Dictionary<Guid, Guid>();
            foreach (var row in await session.QueryAsync(ObjectTypesQuery, null, cancellationToken).ConfigureAwait(false))
            {
                if (OrchestratorTables.AsGuid(row["UniqueID"]) is { } type && OrchestratorTables.AsGuid(row["PrimaryGroup"]) is { } pack)
                {
                    typeToPack[type] = pack;
                }
            }

            var (paths, _) = await tables.ReadRunbookPathsAsync(session, cancellationToken).ConfigureAwait(false);
            usage = [];
            foreach (var row in await session.QueryAsync(ActivitiesQuery, null, cancellationToken).ConfigureAwait(false))
            {
                if (OrchestratorTables.AsGuid(row["ObjectType"]) is { } type && typeToPack.TryGetValue(type, out var pack)
                    && OrchestratorTables.AsGuid(row["ParentID"]) is { } runbook && paths.TryGetValue(runbook, out var path))
                {
                    if (!usage.TryGetValue(pack, out var list))
                    {
                        list = [];
                        usage[pack] = list;
                    }

                    if (!list.Contains(path, StringComparer.OrdinalIgnoreCase))
                    {
                        list.Add(path);
                    }
                }
            }
        }

        var packs = packRows
            .Select(r => (Id: OrchestratorTables.AsGuid(r["UniqueID"]), Row: r))
            .Where(p => p.Id is not null)
            .Select(p => new IntegrationPack(
                p.Id!.Value,
                p.Row.String("Name") ?? p.Id.Value.ToString(),
                p.Row.String("Version"),
                usage is null ? null : (IReadOnlyList<string>)[.. (usage.GetValueOrDefault(p.Id.Value) ?? []).Order(StringComparer.OrdinalIgnoreCase)]))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new IntegrationPackInventory
        {
            Packs = packs,
            UsageUnknown = missingUsage.Count == 0 ? null : $"{string.Join(", ", missingUsage)} not found (UNCONFIRMED names): which runbooks use each pack is unknown",
            Tables = described,
        };
    }
}
