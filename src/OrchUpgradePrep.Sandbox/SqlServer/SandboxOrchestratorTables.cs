using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Prerequisites.Runbooks;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// Rows of the Orchestrator tables that orchprep reads one table at a time (runbooks with their check-out, folders,
/// integration packs, activity types, activities), in <see cref="SandboxCatalog"/> column order, built from the
/// shared <see cref="SandboxOrchestrator"/>. Only orchprep's own statements over them are answered
/// (<see cref="OwnQueries"/>); any other SELECT over an Orchestrator table stays "not simulated".
/// </summary>
internal static class SandboxOrchestratorTables
{
    /// <summary>The single-table SELECTs the generic evaluator answers over the Orchestrator tables, with the one table each reads.</summary>
    public static readonly IReadOnlyList<(string Query, string Table)> OwnQueries =
    [
        (CheckedOutRunbooksCheck.CheckedOutQuery, "POLICIES"),
        (OrchestratorTables.RunbooksQuery, "POLICIES"),
        (OrchestratorTables.FoldersQuery, "FOLDERS"),
        (IntegrationPackInventory.PacksQuery, "CAPS"),
        (IntegrationPackInventory.ObjectTypesQuery, "OBJECTTYPES"),
        (IntegrationPackInventory.ActivitiesQuery, "OBJECTS"),
    ];

    public static IEnumerable<object?[]>? Rows(SandboxOrchestrator orchestrator, string table)
    {
        var folders = Folders(orchestrator);
        return table.ToUpperInvariant() switch
        {
            "POLICIES" => orchestrator.Runbooks.Select(r => new object?[]
            {
                r.Id, r.Name, folders.TryGetValue(Parent(r.Path), out var folder) ? folder.Id : null, r.CheckedOutBy, r.CheckedOutTime,
            }),
            "FOLDERS" => folders.Values.Select(f => new object?[] { f.Id, f.ParentId, f.Name }),
            "CAPS" => orchestrator.IntegrationPacks.Select(p => new object?[] { p.Id, p.Name, p.Version }),
            "OBJECTTYPES" => orchestrator.IntegrationPacks.SelectMany(p => p.ObjectTypes.Select((t, i) => new object?[] { t, $"{p.Name} activity {i + 1}", p.Id })),
            "OBJECTS" => orchestrator.Activities.Select(a => new object?[] { a.Id, orchestrator.Runbook(a.RunbookName)?.Id, a.Name, a.ObjectType }),
            _ => null,
        };
    }

    /// <summary>The folders the runbooks' paths name, each once, with ids fixed by their order.</summary>
    private static Dictionary<string, (Guid Id, Guid? ParentId, string Name)> Folders(SandboxOrchestrator orchestrator)
    {
        var folders = new Dictionary<string, (Guid Id, Guid? ParentId, string Name)>(StringComparer.OrdinalIgnoreCase);
        foreach (var runbook in orchestrator.Runbooks)
        {
            var path = Parent(runbook.Path);
            var parts = path.Split('\\', StringSplitOptions.RemoveEmptyEntries);
            Guid? parent = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var key = "\\" + string.Join('\\', parts[..(i + 1)]);
                if (!folders.TryGetValue(key, out var folder))
                {
                    folder = (new Guid(0x7a000000 + folders.Count, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1), parent, parts[i]);
                    folders[key] = folder;
                }

                parent = folder.Id;
            }
        }

        return folders;
    }

    private static string Parent(string path) => path.LastIndexOf('\\') is > 0 and var i ? path[..i] : string.Empty;
}
