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
    public const string JobsView = "[Microsoft.SystemCenter.Orchestrator.Runtime].[Jobs]";
    public const string CancelJob = "[Microsoft.SystemCenter.Orchestrator.Runtime].[CancelJob]";
    public const string ClearOrphans = "[Microsoft.SystemCenter.Orchestrator.Runtime.Internal].[ClearOrphanedRunbookInstances]";

    public static bool Handles(string text) =>
        text.Contains(JobsView, StringComparison.OrdinalIgnoreCase) || text.Contains(CancelJob, StringComparison.OrdinalIgnoreCase) || text.Contains(ClearOrphans, StringComparison.OrdinalIgnoreCase);

    public async Task AnswerAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Session.Database, profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
        {
            throw text.StartsWith("EXEC", StringComparison.OrdinalIgnoreCase)
                ? new SqlErrorException(2812, 16, 62, $"Could not find stored procedure '{(text.Contains(CancelJob, StringComparison.OrdinalIgnoreCase) ? CancelJob : ClearOrphans)}'.")
                : new SqlErrorException(208, 16, 1, $"Invalid object name '{JobsView}'.");
        }

        if (text.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase))
        {
            await ActiveJobsAsync(text, response, cancellationToken);
        }
        else if (text.Contains(CancelJob, StringComparison.OrdinalIgnoreCase))
        {
            var jobId = request.Parameters.GetValueOrDefault("@jobId") as Guid?
                ?? throw new SqlErrorException(201, 16, 4, "Procedure or function 'CancelJob' expects parameter '@JobId', which was not supplied.");
            var sid = request.Parameters.GetValueOrDefault("@userSid") as string
                ?? throw new SqlErrorException(201, 16, 4, "Procedure or function 'CancelJob' expects parameter '@UserSid', which was not supplied.");
            orchestrator.CancelFromDatabase(jobId, sid);
            await response.SendDoneAsync(null, cancellationToken);
        }
        else
        {
            orchestrator.ClearOrphanedInstances();
            await response.SendDoneAsync(null, cancellationToken);
        }
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
