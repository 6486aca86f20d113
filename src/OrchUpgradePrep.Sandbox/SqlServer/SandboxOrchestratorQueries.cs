using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The Orchestrator database's objects, answered from the shared <see cref="SandboxOrchestrator"/>: the Runtime.Jobs
/// view joined with POLICIES / POLICYINSTANCES / ACTIONSERVERS / POLICY_REQUEST_HISTORY (the active-jobs query),
/// CancelJob and ClearOrphanedRunbookInstances. Only in the Orchestrator database; elsewhere 208 / 2812, as SQL Server says.
/// </summary>
internal sealed class SandboxOrchestratorQueries(SandboxOrchestrator orchestrator, SandboxSqlProfile profile)
{
    /// <summary>The simulated Orchestrator these queries answer from.</summary>
    public SandboxOrchestrator Model => orchestrator;

    public const string JobsView = "[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]";

    public const string RuntimeSchema = "Microsoft.SystemCenter.Orchestrator.Runtime";
    public const string InternalSchema = "Microsoft.SystemCenter.Orchestrator.Runtime.Internal";

    /// <summary>The objects the active-jobs query reads, in the order it names them.</summary>
    public static readonly IReadOnlyList<(string Schema, string Name)> ActiveJobsObjects =
        [(RuntimeSchema, "Jobs"), ("dbo", "POLICIES"), ("dbo", "POLICYINSTANCES"), ("dbo", "ACTIONSERVERS"), ("dbo", "POLICY_REQUEST_HISTORY")];

    /// <summary>
    /// The procedures orchprep calls. UNCONFIRMED parameter names: no public source names CancelJob's parameters (the
    /// community callers pass the job id and a SID string by position), nor says ClearOrphanedRunbookInstances takes
    /// none (the product documentation calls it without arguments). See docs/orchestrator-database.md.
    /// </summary>
    public static readonly IReadOnlyList<SandboxProcedure> Procedures =
    [
        new(RuntimeSchema, "CancelJob", [new("@JobId", typeof(Guid)), new("@UserSid", typeof(string))], Confirmed: false),
        new(InternalSchema, "ClearOrphanedRunbookInstances", [], Confirmed: false),
    ];

    /// <summary>The catalogued procedure an EXEC names in the Orchestrator database; null elsewhere or for any other name (2812).</summary>
    public SandboxProcedure? Find(SandboxProcedureCall call, SqlRequest request) =>
        string.Equals(request.Session.Database, profile.DatabaseName, StringComparison.OrdinalIgnoreCase)
            ? Procedures.FirstOrDefault(p => call.Names(p, request.Session.Database))
            : null;

    public async Task AnswerAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Session.Database, profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
        {
            throw new SqlErrorException(208, 16, 1, $"Invalid object name '{JobsView}'.");
        }

        await ActiveJobsAsync(text, response, cancellationToken);
    }

    public async Task ExecuteAsync(SandboxProcedure procedure, SandboxProcedureCall call, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var arguments = call.Bind(procedure, request.Parameters);
        if (procedure.Name == "CancelJob")
        {
            var jobId = arguments["@JobId"] as Guid?
                ?? throw new SqlErrorException(50000, 16, 1, "sandbox: CancelJob with a NULL job id is not simulated.");
            var sid = arguments["@UserSid"] as string
                ?? throw new SqlErrorException(50000, 16, 1, "sandbox: CancelJob with a NULL SID is not simulated.");
            orchestrator.CancelFromDatabase(jobId, sid);
        }
        else
        {
            orchestrator.ClearOrphanedInstances();
        }

        await response.SendDoneAsync(null, cancellationToken);
    }

    private async Task ActiveJobsAsync(string text, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (!text.Contains("WHERE j.Status IN (N'Running', N'Pending')", StringComparison.OrdinalIgnoreCase))
        {
            // The sandbox answers the query orchprep sends, not arbitrary SQL over the view.
            throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'Jobs'.");
        }

        var rows = orchestrator.Jobs()
            .Where(j => j.Status is "Running" or "Pending")
            .OrderBy(j => j.CreationTime).ThenBy(j => j.Id)
            .Select(j =>
            {
                var runbook = orchestrator.Runbook(j.RunbookId)!;
                var running = j.Instance is { TimeEnded: null } ? j.Instance : null;
                var server = orchestrator.Server(running?.RunbookServerId ?? j.RunbookServerId);
                return (IReadOnlyList<object?>)
                [
                    j.Id, j.RunbookId, j.Status, j.Status == "Pending" ? null : j.RunbookServerId, j.CreationTime, runbook.Name,
                    j.Status == "Pending" && running is null ? null : server?.Computer, running?.TimeStarted, running?.Orphaned == true,
                ];
            });
        await response.SendResultSetAsync(
            [
                new("JobId", TdsColumnType.UniqueIdentifier), new("RunbookId", TdsColumnType.UniqueIdentifier), new("Status", TdsColumnType.NVarChar(50)),
                new("RunbookServerId", TdsColumnType.UniqueIdentifier), new("CreationTime", TdsColumnType.DateTime), new("RunbookName", TdsColumnType.NVarChar(255)),
                new("RunbookServer", TdsColumnType.NVarChar(255)), new("TimeStarted", TdsColumnType.DateTime), new("Orphaned", TdsColumnType.Bit),
            ],
            rows,
            cancellationToken);
    }
}
