using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Orchestrator's log tables (runbook logs POLICYINSTANCES, OBJECTINSTANCES, OBJECTINSTANCEDATA; activity events EVENTS;
/// audit history OBJECT_AUDIT): rows and reserved bytes from sys.dm_db_partition_stats. Microsoft's sizing page says the
/// log purge covers runbook logs only, so events and audit history grow for ever and the backup and upgrade carry them:
/// a warning when those two hold at least half of the data. The last purge is not read: no documented table records it
/// (UNCONFIRMED). What the runbook logs themselves show is read instead: the runbook with the most completed instances
/// and the oldest one kept. Far more than the purge's documented default keeps suggests the purge does not run — an
/// inference, so a warning at most. docs/facts/backup-keys.md#log-tables has the facts.
/// </summary>
public sealed class LogHygieneCheck : ICheck
{
    /// <summary>Share of the used data pages at which events and audit history "dominate".</summary>
    public const double DominantShare = 0.5;

    public static IReadOnlyList<string> RunbookLogTables { get; } = ["POLICYINSTANCES", "OBJECTINSTANCES", "OBJECTINSTANCEDATA"];

    public static IReadOnlyList<string> NeverPurgedTables { get; } = ["EVENTS", "OBJECT_AUDIT"];

    /// <summary>The purge's documented default keeps the last 500 entries per runbook (the same page's table says 5000): more
    /// completed instances of one runbook than the larger figure suggests the purge does not run (or keeps by age).</summary>
    public const long PurgeDefaultEntriesPerRunbook = 5000;

    /// <summary>The runbook with the most completed instances (TimeEnded set) and its oldest: what the runbook log purge
    /// would have trimmed. Column names as docs/facts/orchestrator-versions.md#database lists them (community, UNCONFIRMED).</summary>
    public const string BusiestRunbookLogQuery =
        "SELECT TOP (1) p.Name AS RunbookName, COUNT_BIG(*) AS entries, MIN(pi.TimeEnded) AS oldest_ended " +
        "FROM dbo.POLICYINSTANCES AS pi JOIN dbo.POLICIES AS p ON p.UniqueID = pi.PolicyID " +
        "WHERE pi.TimeEnded IS NOT NULL GROUP BY pi.PolicyID, p.Name ORDER BY entries DESC";

    /// <summary>Rows (heap or clustered index) and reserved bytes (every index) per table; needs VIEW DATABASE STATE.</summary>
    public const string TablesQuery =
        "SELECT t.name AS table_name, SUM(CASE WHEN ps.index_id IN (0, 1) THEN ps.row_count ELSE 0 END) AS row_count, " +
        "SUM(ps.reserved_page_count) * 8192 AS reserved_bytes FROM sys.dm_db_partition_stats AS ps JOIN sys.tables AS t ON t.object_id = ps.object_id " +
        "WHERE t.name IN (N'POLICYINSTANCES', N'OBJECTINSTANCES', N'OBJECTINSTANCEDATA', N'EVENTS', N'OBJECT_AUDIT') GROUP BY t.name";

    public string Id => BackupCheckIds.LogHygiene;
    public string Title => BackupCheckIds.TitleOf(Id);
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is not { } config)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var source = context.Sql.Description;
        const string Purge = "last log purge: not read — no documented table records when Orchestrator's purge last ran (UNCONFIRMED where it would be); see the Runbook Designer's Log Purge settings";
        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var usedData = (await session.QueryAsync(BackupQueries.DatabaseFiles, null, cancellationToken).ConfigureAwait(false))
                .Where(r => string.Equals(r.String("type_desc"), "ROWS", StringComparison.OrdinalIgnoreCase))
                .Sum(r => r.Int64("used_bytes") ?? r.Int64("size_bytes") ?? 0);
            IReadOnlyList<SqlRow> rows;
            try
            {
                rows = await session.QueryAsync(TablesQuery, null, cancellationToken).ConfigureAwait(false);
            }
            catch (SqlSessionException ex) when (ex.Number is 297 or 300 or 229)
            {
                return CheckOutcome.Warning(
                    $"The log tables' sizes could not be read ({ex.Message}).",
                    $"Grant the login VIEW DATABASE STATE in [{config.Database}] (docs/sql-permissions.md), or run as a sysadmin.",
                    new Evidence("unknown", Purge));
            }

            var busiest = await ReadBusiestRunbookAsync(session, context.Time, cancellationToken).ConfigureAwait(false);
            var tables = rows.ToDictionary(r => r.String("table_name") ?? "?", r => (Rows: r.Int64("row_count") ?? 0, Bytes: r.Int64("reserved_bytes") ?? 0), StringComparer.OrdinalIgnoreCase);
            var evidence = RunbookLogTables.Concat(NeverPurgedTables)
                .Select(name => new Evidence($"{source}: dbo.{name}", tables.TryGetValue(name, out var t)
                    ? string.Create(CultureInfo.InvariantCulture, $"{t.Rows:N0} rows, {Bytes.Format(t.Bytes)} reserved{(usedData > 0 ? $" ({100.0 * t.Bytes / usedData:0}% of the used data)" : string.Empty)}")
                    : "not found"))
                .Append(new Evidence(source + ": sys.database_files", $"used data {Bytes.Format(usedData)}"))
                .Append(new Evidence("log purge", Purge))
                .Append(new Evidence($"{source}: dbo.POLICYINSTANCES (completed, busiest runbook)", busiest.Text))
                .ToArray();
            if (tables.Count == 0)
            {
                return CheckOutcome.Warning(
                    $"None of Orchestrator's log tables is in [{config.Database}] as this login sees it: is it the Orchestrator database?",
                    "Check sql.database in the configuration.",
                    evidence);
            }

            var neverPurged = NeverPurgedTables.Sum(n => tables.TryGetValue(n, out var t) ? t.Bytes : 0);
            var share = usedData > 0 ? (double)neverPurged / usedData : 0;
            var shareText = string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%");
            if (share < DominantShare && busiest.PurgeSeemsOff)
            {
                return CheckOutcome.Warning(
                    $"The runbook log purge seems not to run: {busiest.Text}. Orchestrator's purge keeps the last 500 (or 5000) entries per runbook by default (an inference from the logs, not the purge's own record).",
                    "In the Runbook Designer, check Log Purge (right-click the management server): turn it on or shorten what it keeps, and let it run before the backup — a smaller database backs up and upgrades faster. It may also be set to keep by age on purpose.",
                    evidence);
            }

            return share >= DominantShare
                ? CheckOutcome.Warning(
                    $"Activity events (EVENTS) and audit history (OBJECT_AUDIT) hold {Bytes.Format(neverPurged)}, {shareText} of the used data: Orchestrator's log purge covers runbook logs only, so these are never purged and the backup and the upgrade carry them." +
                    (busiest.PurgeSeemsOff ? $" The runbook log purge also seems not to run: {busiest.Text}." : string.Empty),
                    "Decide before the window whether to keep them: Orchestrator documents no purge for events and audit history, so trimming them is a DBA's change (on a copy first, after the backup); otherwise allow for the larger backup (backup.database-size). Keep the runbook log purge on in the Runbook Designer.",
                    evidence)
                : CheckOutcome.Met($"Events and audit history hold {shareText} of the used data ({Bytes.Format(neverPurged)}).", evidence);
        }
    }

    /// <summary>The busiest runbook's completed instances, as evidence text; a query the login or the schema refuses is
    /// named, never taken as "purged".</summary>
    private static async Task<BusiestRunbookLog> ReadBusiestRunbookAsync(ISqlSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        IReadOnlyList<SqlRow> rows;
        try
        {
            rows = await session.QueryAsync(BusiestRunbookLogQuery, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex) when (ex.Number is 208 or 207 or 229 or 297 or 300)
        {
            return new BusiestRunbookLog($"not read ({ex.Message})", false);
        }

        if (rows.Count == 0)
        {
            return new BusiestRunbookLog("no completed runbook instance is logged", false);
        }

        var row = rows[0];
        var entries = row.Int64("entries") ?? 0;
        // Days, not hours, matter here: whether Orchestrator writes TimeEnded as UTC or local time is not documented.
        DateTimeOffset? oldest = row["oldest_ended"] is DateTime ended ? new DateTimeOffset(DateTime.SpecifyKind(ended, DateTimeKind.Utc)) : null;
        var age = oldest is { } o ? string.Create(CultureInfo.InvariantCulture, $", the oldest ended {o:yyyy-MM-dd} ({Math.Max(0, (time.GetUtcNow() - o).Days):N0} days ago)") : string.Empty;
        return new BusiestRunbookLog(
            string.Create(CultureInfo.InvariantCulture, $"'{row.String("RunbookName")}' has {entries:N0} completed instances logged{age}"),
            entries > PurgeDefaultEntriesPerRunbook);
    }

    private sealed record BusiestRunbookLog(string Text, bool PurgeSeemsOff);
}
