using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Tests.Fakes;

/// <summary>Small simulated Orchestrators for tests: two runbook servers, a short runbook, a long one and a monitor.</summary>
internal static class TestWorlds
{
    public const string Short = "Short job";
    public const string Long = "Long job";
    public const string Monitor = "Monitor mailbox";
    public const string Orphan = "Orphan job";

    public static SandboxOrchestratorProfile Profile(params SandboxJobSeed[] jobs) => new(
        [
            new(Guid.Parse("11111111-0000-0000-0000-000000000001"), Short, @"\Test\" + Short, false),
            new(Guid.Parse("11111111-0000-0000-0000-000000000002"), Long, @"\Test\" + Long, false),
            new(Guid.Parse("11111111-0000-0000-0000-000000000003"), Monitor, @"\Monitors\" + Monitor, true),
            new(Guid.Parse("11111111-0000-0000-0000-000000000004"), Orphan, @"\Test\" + Orphan, false),
        ],
        [new(Guid.Parse("22222222-0000-0000-0000-000000000001"), "RB01"), new(Guid.Parse("22222222-0000-0000-0000-000000000002"), "RB02"), new(Guid.Parse("22222222-0000-0000-0000-000000000003"), "RB03")],
        jobs,
        [new("rb01", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"), new("rb02", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service"),
         // RB03's Runbook Service is down, so a job queued for it stays Pending.
         new("rb03", SandboxOrchestrator.RunbookServiceName, "Orchestrator Runbook Service", Running: false)]);

    /// <summary>A short job ending in <paramref name="shortEndsIn"/>, a monitor, and optionally a two-hour job.</summary>
    public static SandboxOrchestrator Create(TimeProvider time, TimeSpan shortEndsIn, bool withLong = false, bool withMonitor = true, bool withOrphan = false, bool withPending = false)
    {
        var jobs = new List<SandboxJobSeed> { new(Short, "RB01", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + shortEndsIn) };
        if (withMonitor)
        {
            jobs.Add(new(Monitor, "RB02", TimeSpan.FromDays(1), null));
        }

        if (withLong)
        {
            jobs.Add(new(Long, "RB02", TimeSpan.FromMinutes(5), TimeSpan.FromHours(2)));
        }

        if (withOrphan)
        {
            jobs.Add(new(Orphan, "RB02", TimeSpan.FromDays(2), TimeSpan.FromMinutes(1), Orphaned: true));
        }

        if (withPending)
        {
            jobs.Add(new(Short, "RB03", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), Pending: true));
        }

        return new SandboxOrchestrator(Profile([.. jobs]), time);
    }
}
