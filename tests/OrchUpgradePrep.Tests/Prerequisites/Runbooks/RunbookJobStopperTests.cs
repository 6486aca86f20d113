using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Runbooks;

public sealed class RunbookJobStopperTests
{
    [Theory]
    [InlineData(JobStatus.Canceled, ActionOutcome.Stopped)]
    [InlineData(JobStatus.Completed, ActionOutcome.Completed)]
    [InlineData("Suspended", ActionOutcome.Ended)]
    public async Task The_status_the_web_service_reports_after_the_stop_becomes_a_typed_outcome(string statusAfterStop, ActionOutcome expected)
    {
        var stopper = new RunbookJobStopper(new RunbookInventory(new AnsweringApi(statusAfterStop), null));

        var action = await stopper.StopAsync(Job(JobStatus.Running), "past the drain timeout", TestContext.Current.CancellationToken);

        Assert.Equal((ActionKind.RunbookStop, expected), (action.Kind, action.Outcome));
        Assert.Contains($"job now {statusAfterStop}", action.Detail, StringComparison.Ordinal);
    }

    private static OrchestratorJob Job(string status) => new()
    {
        Id = Guid.Parse("4c8e1a52-9f0b-4a4e-8a38-1f3d0e6b7c21"),
        RunbookId = Guid.Parse("0b5e2f7a-3c1d-4e9f-a2b6-7d8c9e0f1a2b"),
        Status = status,
        RunbookName = "Nightly export",
    };

    /// <summary>A web service whose stop request is accepted and leaves the job in the given status.</summary>
    private sealed class AnsweringApi(string statusAfterStop) : IOrchestratorApi
    {
        public string Description => "http://orch-ws01:81/Orchestrator2012/Orchestrator.svc";

        public Task<IReadOnlyList<OrchestratorJob>> ListActiveJobsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<OrchestratorJob>>([]);

        public Task<OrchestratorJob?> GetJobAsync(Guid jobId, CancellationToken cancellationToken) =>
            Task.FromResult<OrchestratorJob?>(null);

        public Task<OrchestratorJob> StopJobAsync(Guid jobId, CancellationToken cancellationToken) =>
            Task.FromResult(Job(statusAfterStop));

        public Task<OrchestratorJob> StartJobAsync(Guid runbookId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the stopper never starts a job");
    }
}
