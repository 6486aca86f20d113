using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Stops one job the supported ways: the web service's stop request first (it re-reads the job to confirm), then the
/// database's CancelJob procedure when the web service is absent, down, or refuses (it refuses a Pending job — the
/// strict reading of hh921684; CancelJob accepts both).
/// </summary>
public sealed class RunbookJobStopper(RunbookInventory inventory)
{
    public async Task<ActionRecord> StopAsync(OrchestratorJob job, string why, CancellationToken cancellationToken)
    {
        var target = $"{job.RunbookPath ?? job.RunbookName} (job {job.Id})";
        string? webFailure = null;
        if (inventory.WebService is { } web)
        {
            try
            {
                var after = await web.StopJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
                if (!after.IsActive)
                {
                    return new ActionRecord(ActionKind.RunbookStop, target, StoppedAs(after.Status),
                        $"{why}; web service stop request accepted, job now {after.Status}");
                }

                webFailure = $"the web service accepted the stop but the job is still {after.Status}";
            }
            catch (OrchestratorApiException ex)
            {
                webFailure = ex.StatusCode > 0 ? $"web service answered {ex.StatusCode}: {ex.Message}" : $"web service: {ex.Message}";
            }
        }

        if (inventory.Database is { } database)
        {
            try
            {
                await database.CancelJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
                return new ActionRecord(ActionKind.RunbookStop, target, ActionOutcome.Stopped,
                    $"{why}; {(webFailure is null ? string.Empty : webFailure + "; ")}cancelled with [Microsoft.SystemCenter.Orchestrator.Runtime].[CancelJob]");
            }
            catch (SqlSessionException ex)
            {
                return new ActionRecord(ActionKind.RunbookStop, target, ActionOutcome.Failed, $"{why}; {(webFailure is null ? string.Empty : webFailure + "; ")}CancelJob failed: {ex.Message}");
            }
        }

        return new ActionRecord(ActionKind.RunbookStop, target, ActionOutcome.Failed, $"{why}; {webFailure ?? "no web service or database configured to stop it"}");
    }

    /// <summary>
    /// A job no longer active after the stop request: Canceled is the stop taking effect; Completed means it finished
    /// first. hh921659 documents no other end state, so any other word is only "ended" (the detail quotes it).
    /// </summary>
    private static ActionOutcome StoppedAs(string status) => status switch
    {
        JobStatus.Canceled => ActionOutcome.Stopped,
        JobStatus.Completed => ActionOutcome.Completed,
        _ => ActionOutcome.Ended,
    };
}
