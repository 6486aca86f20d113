using System.Globalization;

namespace OrchUpgradePrep.Ports;

/// <summary>
/// The Orchestrator database's own tables, read defensively: Microsoft documents none of their columns, and the ones
/// some checks rely on (POLICIES.CheckOutUser, dbo.CAPS, OBJECTTYPES.PrimaryGroup …) come from community queries only
/// (UNCONFIRMED, docs/facts/orchestrator-versions.md#database-tables-read-defensively). A check first asks
/// INFORMATION_SCHEMA which of them exist and names what is missing instead of failing on Msg 207/208 or, worse,
/// reading an absent column as "nothing found".
/// </summary>
public sealed class OrchestratorTables
{
    /// <summary>The columns of the tables orchprep reads beyond the active-jobs query. INFORMATION_SCHEMA shows only
    /// objects the login has a permission on, so a table missing here is "missing, or not visible to the login".</summary>
    public const string ColumnsQuery =
        "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = N'dbo' " +
        "AND TABLE_NAME IN (N'POLICIES', N'FOLDERS', N'CAPS', N'OBJECTS', N'OBJECTTYPES')";

    /// <summary>Every runbook with its folder, to build its path.</summary>
    public const string RunbooksQuery = "SELECT UniqueID, ParentID, Name FROM dbo.POLICIES";

    /// <summary>The folder tree (community: FOLDERS.UniqueID / ParentID / Name, UNCONFIRMED).</summary>
    public const string FoldersQuery = "SELECT UniqueID, ParentID, Name FROM dbo.FOLDERS";

    private readonly Dictionary<string, HashSet<string>> _columns;

    public OrchestratorTables(IEnumerable<(string Table, string Column)> columns)
    {
        _columns = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (table, column) in columns)
        {
            if (!_columns.TryGetValue(table, out var set))
            {
                set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _columns[table] = set;
            }

            set.Add(column);
        }
    }

    public static async Task<OrchestratorTables> ReadAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var rows = await session.QueryAsync(ColumnsQuery, null, cancellationToken).ConfigureAwait(false);
        return new OrchestratorTables(rows.Select(r => (r.String("TABLE_NAME") ?? string.Empty, r.String("COLUMN_NAME") ?? string.Empty)));
    }

    public bool Has(string table) => _columns.ContainsKey(table);

    /// <summary>"dbo.POLICIES" when the table is not there, else "dbo.POLICIES.CheckOutUser" for each column it lacks.</summary>
    public IReadOnlyList<string> Missing(string table, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!_columns.TryGetValue(table, out var set))
        {
            return [$"dbo.{table}"];
        }

        return columns.Where(c => !set.Contains(c)).Select(c => $"dbo.{table}.{c}").ToArray();
    }

    /// <summary>"dbo.POLICIES (UniqueID, Name, …)" for evidence: what the server showed.</summary>
    public string Describe(string table) =>
        _columns.TryGetValue(table, out var set)
            ? $"dbo.{table} ({string.Join(", ", set.Order(StringComparer.OrdinalIgnoreCase))})"
            : $"dbo.{table}: not found (missing, or the login has no permission on it)";

    /// <summary>Each runbook's path (\Folder\Sub\Name) by its id. Without a readable FOLDERS table (UNCONFIRMED name)
    /// the path is the bare name, which <paramref name="foldersKnown"/> says.</summary>
    public async Task<(IReadOnlyDictionary<Guid, string> Paths, bool FoldersKnown)> ReadRunbookPathsAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var runbooks = await session.QueryAsync(RunbooksQuery, null, cancellationToken).ConfigureAwait(false);
        var folders = new Dictionary<Guid, (Guid? Parent, string Name)>();
        var foldersKnown = Missing("FOLDERS", "UniqueID", "ParentID", "Name").Count == 0;
        if (foldersKnown)
        {
            foreach (var row in await session.QueryAsync(FoldersQuery, null, cancellationToken).ConfigureAwait(false))
            {
                if (AsGuid(row["UniqueID"]) is { } id)
                {
                    folders[id] = (AsGuid(row["ParentID"]), row.String("Name") ?? "?");
                }
            }
        }

        var paths = new Dictionary<Guid, string>();
        foreach (var row in runbooks)
        {
            if (AsGuid(row["UniqueID"]) is { } id)
            {
                paths[id] = PathOf(row.String("Name") ?? id.ToString(), AsGuid(row["ParentID"]), folders);
            }
        }

        return (paths, foldersKnown);
    }

    /// <summary>\Parent\…\Name; a folder loop or unknown parent ends the walk (the root folder has no parent).</summary>
    public static string PathOf(string name, Guid? parent, IReadOnlyDictionary<Guid, (Guid? Parent, string Name)> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var parts = new List<string> { name };
        var seen = new HashSet<Guid>();
        while (parent is { } id && seen.Add(id) && folders.TryGetValue(id, out var folder))
        {
            // Orchestrator's root folder ("Runbooks") is not part of the path the Designer and web service show.
            if (folder.Parent is null && string.Equals(folder.Name, "Runbooks", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            parts.Add(folder.Name);
            parent = folder.Parent;
        }

        parts.Reverse();
        return "\\" + string.Join('\\', parts);
    }

    public static Guid? AsGuid(object? value) => value switch
    {
        Guid g => g,
        string s when Guid.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A datetime column as UTC text for evidence; other types as they are.</summary>
    public static string? AsTime(object? value) => value switch
    {
        null => null,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
