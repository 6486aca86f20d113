using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// The Orchestrator database's view of runbook work (docs/facts/orchestrator-versions.md#database), through the SQL port: active jobs
/// with their running instance and orphan flag in one query, the supported CancelJob procedure, and the documented
/// orphan clean-up. Used when the web service is absent or unreachable, and to cross-check it.
/// </summary>
public sealed class OrchestratorDatabase
{
    /// <summary>One query per poll. The Runtime.Jobs view backs the web service (same ids and status words);
    /// POLICYINSTANCES gives server and start of the running instance; POLICY_REQUEST_HISTORY.Active = 0 marks an orphan.</summary>
    public const string ActiveJobsQuery =
        "SELECT j.Id AS JobId, j.RunbookId, j.Status, j.RunbookServerId, j.CreationTime, p.Name AS RunbookName, s.Computer AS RunbookServer, " +
        "pi.TimeStarted, CAST(CASE WHEN h.Active = 0 THEN 1 ELSE 0 END AS bit) AS Orphaned " +
        "FROM [Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs] AS j " +
        "JOIN dbo.POLICIES AS p ON p.UniqueID = j.RunbookId " +
        "LEFT JOIN dbo.POLICYINSTANCES AS pi ON pi.JobId = j.Id AND pi.TimeEnded IS NULL " +
        "LEFT JOIN dbo.ACTIONSERVERS AS s ON s.UniqueID = COALESCE(pi.ActionServer, j.RunbookServerId) " +
        "LEFT JOIN dbo.POLICY_REQUEST_HISTORY AS h ON h.PolicyID = pi.PolicyID AND h.SeqNumber = pi.SeqNumber " +
        "WHERE j.Status IN (N'Running', N'Pending') ORDER BY j.CreationTime, j.Id";

    /// <summary>The supported stop (the web service's own path); the SID is recorded as who cancelled. Arguments by
    /// position, as every public caller passes them: no public source names the procedure's parameters, and a wrong
    /// name fails with Msg 8145 (docs/orchestrator-database.md). The values still travel as SQL parameters.</summary>
    public const string CancelJobStatement =
        "EXEC [Microsoft.SystemCenter.Orchestrator.Runtime].[CancelJob] @jobId, @userSid";

    /// <summary>The documented clean-up of instances a stopped Runbook Service left "running" (SCD Runbook Logs page).</summary>
    public const string ClearOrphansStatement =
        "EXEC [Microsoft.SystemCenter.Orchestrator.Runtime.Internal].[ClearOrphanedRunbookInstances]";

    /// <summary>Well-known SID of the local Administrator, as the community CancelJob script records it.</summary>
    public const string CancelledBySid = "S-1-5-500";

    private readonly ISqlConnector _sql;

    public OrchestratorDatabase(ISqlConnector sql) => _sql = sql;

    public string Description => _sql.Description;

    public async Task<IReadOnlyList<OrchestratorJob>> ReadActiveJobsAsync(CancellationToken cancellationToken)
    {
        await using var session = await _sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await session.QueryAsync(ActiveJobsQuery, null, cancellationToken).ConfigureAwait(false);
        var jobs = new Dictionary<Guid, OrchestratorJob>();
        foreach (var row in rows)
        {
            var id = Guid(row, "JobId");
            var name = row.String("RunbookName") ?? Guid(row, "RunbookId").ToString();
            var job = new OrchestratorJob
            {
                Id = id,
                RunbookId = Guid(row, "RunbookId"),
                Status = row.String("Status") ?? "?",
                RunbookName = name,
                IsMonitor = MonitorNames.LooksLikeMonitor(name),
                RunbookServerId = row["RunbookServerId"] as Guid?,
                RunbookServer = row.String("RunbookServer"),
                CreationTime = Utc(row["CreationTime"]),
                StartedAt = Utc(row["TimeStarted"]),
                IsOrphaned = row.Flag("Orphaned"),
            };

            // A job with several running instances appears once per instance: one orphan makes the job orphaned.
            jobs[id] = jobs.TryGetValue(id, out var seen) ? seen with { IsOrphaned = seen.IsOrphaned || job.IsOrphaned } : job;
        }

        return [.. jobs.Values];
    }

    public async Task CancelJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var session = await _sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await session.QueryAsync(
            CancelJobStatement,
            new Dictionary<string, object?> { ["@jobId"] = jobId, ["@userSid"] = CancelledBySid },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearOrphanedInstancesAsync(CancellationToken cancellationToken)
    {
        await using var session = await _sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await session.QueryAsync(ClearOrphansStatement, null, cancellationToken).ConfigureAwait(false);
    }

    private static Guid Guid(SqlRow row, string column) =>
        row[column] switch
        {
            System.Guid g => g,
            string s when System.Guid.TryParse(s, out var parsed) => parsed,
            var other => throw new SqlSessionException($"column {column} is not a uniqueidentifier ({other ?? "NULL"})"),
        };

    private static DateTimeOffset? Utc(object? value) =>
        value is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
}

/// <summary>
/// The database has no monitor flag (docs/facts/orchestrator-versions.md#database): Orchestrator Health Checker treats a runbook whose name starts with
/// "Monitor " as a monitor. Unconfirmed, so it is used only when the web service (which has IsMonitor) is not available.
/// </summary>
public static class MonitorNames
{
    public static bool LooksLikeMonitor(string runbookName) =>
        runbookName.StartsWith("Monitor ", StringComparison.OrdinalIgnoreCase);
}
