using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Tests.Fakes;

/// <summary>
/// The web service port over the sandbox's simulated Orchestrator, without HTTP: the same job rules (jobs end on the
/// clock, only Running may be canceled) for tests of the logic above the port. Faults are switched on per test.
/// </summary>
internal sealed class WorldOrchestratorApi(SandboxOrchestrator world) : IOrchestratorApi
{
    public string Description => "http://fake-web01:81/Orchestrator2012/Orchestrator.svc/";

    public int Reads { get; private set; }

    public List<Guid> StopRequests { get; } = [];

    public List<Guid> StartRequests { get; } = [];

    /// <summary>Every read fails as an unreachable service does.</summary>
    public bool Down { get; set; }

    /// <summary>A stop is answered 204 but the job keeps running (a service that ignores it).</summary>
    public bool IgnoreStops { get; set; }

    /// <summary>Every stopped job is replaced by a new job of the same runbook (a schedule that keeps starting it).</summary>
    public bool RespawnStopped { get; set; }

    /// <summary>Jobs the web view does not show (a stale web service).</summary>
    public HashSet<Guid> Hidden { get; } = [];

    public Task<IReadOnlyList<OrchestratorJob>> ListActiveJobsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Reads++;
        if (Down)
        {
            return Task.FromException<IReadOnlyList<OrchestratorJob>>(new OrchestratorApiException("connection refused (127.0.0.1:81) after 4 attempts"));
        }

        return Task.FromResult<IReadOnlyList<OrchestratorJob>>(
            [.. world.Jobs().Where(j => j.Status is "Running" or "Pending" && !Hidden.Contains(j.Id)).Select(ToJob)]);
    }

    public Task<OrchestratorJob?> GetJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        Task.FromResult(world.Job(jobId) is { } job ? ToJob(job) : null);

    public Task<OrchestratorJob> StopJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        StopRequests.Add(jobId);
        if (Down)
        {
            return Task.FromException<OrchestratorJob>(new OrchestratorApiException("connection refused"));
        }

        if (!IgnoreStops)
        {
            switch (world.CancelFromWebService(jobId, null))
            {
                case SandboxCancelOutcome.InvalidTransition:
                    return Task.FromException<OrchestratorJob>(new OrchestratorApiException("The only valid transition is to change a running job to Canceled.", 400));
                case SandboxCancelOutcome.NotFound:
                    return Task.FromException<OrchestratorJob>(new OrchestratorApiException("not found", 404));
            }

            if (RespawnStopped)
            {
                world.StartJob(world.Job(jobId)!.RunbookId, "S-1-5-21-schedule", TimeSpan.FromHours(1));
            }
        }

        return Task.FromResult(ToJob(world.Job(jobId)!));
    }

    public Task<OrchestratorJob> StartJobAsync(Guid runbookId, CancellationToken cancellationToken)
    {
        StartRequests.Add(runbookId);
        return Task.FromResult(ToJob(world.StartJob(runbookId, "S-1-5-21-test")));
    }

    private OrchestratorJob ToJob(SandboxJob job)
    {
        var runbook = world.Runbook(job.RunbookId)!;
        return new OrchestratorJob
        {
            Id = job.Id,
            RunbookId = job.RunbookId,
            Status = job.Status,
            RunbookName = runbook.Name,
            RunbookPath = runbook.Path,
            IsMonitor = runbook.IsMonitor,
            RunbookServerId = job.RunbookServerId,
            RunbookServer = world.Server(job.RunbookServerId)?.Computer,
            CreationTime = new DateTimeOffset(job.CreationTime, TimeSpan.Zero),
            LastModifiedTime = new DateTimeOffset(job.LastModifiedTime, TimeSpan.Zero),
        };
    }
}
