namespace OrchUpgradePrep.Ports;

/// <summary>
/// The Orchestrator web service (legacy OData v2 Atom at …/Orchestrator2012/Orchestrator.svc/, 2012 – 2019).
/// Every call has a timeout per request, retries only transient failures, and honours cancellation.
/// Failures the caller must handle (unreachable, 4xx, malformed answer) are <see cref="OrchestratorApiException"/>.
/// </summary>
public interface IOrchestratorApi
{
    /// <summary>The service URL, for evidence. Never contains a credential.</summary>
    string Description { get; }

    /// <summary>Every job whose status is Running or Pending (all pages), with its runbook and runbook server resolved.</summary>
    Task<IReadOnlyList<OrchestratorJob>> ListActiveJobsAsync(CancellationToken cancellationToken);

    /// <summary>One job by id, or null when the service says 404.</summary>
    Task<OrchestratorJob?> GetJobAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the service to cancel a job (the documented request: POST with X-HTTP-Method: MERGE, If-Match from the
    /// job's LastModifiedTime, the job's Atom entry with Status Canceled; 204 = accepted), then re-reads the job
    /// and returns it as the service now reports it (Canceled, or Completed when it finished meanwhile).
    /// A stale ETag (412) is answered by re-reading the job and trying once more.
    /// </summary>
    Task<OrchestratorJob> StopJobAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Starts a job of a runbook (POST /Jobs with the runbook id) and returns the new job.</summary>
    Task<OrchestratorJob> StartJobAsync(Guid runbookId, CancellationToken cancellationToken);
}

/// <summary>A job as the web service or the database reports it. Status is the service's word: Pending, Running, Completed, Canceled.</summary>
public sealed record OrchestratorJob
{
    public required Guid Id { get; init; }
    public required Guid RunbookId { get; init; }
    public required string Status { get; init; }

    /// <summary>Runbook name; the id as text when it could not be resolved.</summary>
    public required string RunbookName { get; init; }

    /// <summary>Runbook folder path (\Folder\Runbook) when the source knows it.</summary>
    public string? RunbookPath { get; init; }

    /// <summary>Monitor runbooks never end on their own.</summary>
    public bool IsMonitor { get; init; }

    public Guid? RunbookServerId { get; init; }

    /// <summary>Runbook server computer name(s), when known.</summary>
    public string? RunbookServer { get; init; }

    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? LastModifiedTime { get; init; }

    /// <summary>When the running instance started (database only).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The database says its instance was left "running" by a runbook service that stopped abruptly (POLICY_REQUEST_HISTORY.Active = 0).</summary>
    public bool IsOrphaned { get; init; }

    public bool IsActive => Status is JobStatus.Running or JobStatus.Pending;
}

/// <summary>The web service's job status words (hh921659).</summary>
public static class JobStatus
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Canceled = "Canceled";
}

/// <summary>The web service could not be used: <see cref="StatusCode"/> is the HTTP status when one came (0 = none: refused, reset, timeout, bad XML).</summary>
public sealed class OrchestratorApiException : Exception
{
    public OrchestratorApiException(string message, int statusCode = 0, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    public OrchestratorApiException()
        : this("the Orchestrator web service call failed")
    {
    }

    public OrchestratorApiException(string message)
        : this(message, 0)
    {
    }

    public OrchestratorApiException(string message, Exception innerException)
        : this(message, 0, innerException)
    {
    }

    public int StatusCode { get; }
}
