using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Runbooks;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class DrainProgressWriterTests
{
    private static readonly RunbookSnapshot Empty = RunbookSnapshot.Combine(null, null);

    private static OrchestratorJob Job(string path) => new()
    {
        Id = Guid.NewGuid(), RunbookId = Guid.NewGuid(), Status = JobStatus.Running, RunbookName = path, RunbookPath = path, RunbookServer = "RB01",
        CreationTime = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero),
    };

    private static DrainStatus At(int seconds, params OrchestratorJob[] waiting) => new(TimeSpan.FromSeconds(seconds), TimeSpan.FromMinutes(30), waiting, Empty);

    [Fact]
    public void Prints_the_list_when_it_changes_and_a_heartbeat_every_30_seconds_otherwise()
    {
        var error = new StringWriter();
        var writer = new DrainProgressWriter(error);
        var a = Job(@"\A\One");
        var b = Job(@"\A\Two");

        writer.Report(At(0, a, b));
        writer.Report(At(10, a, b));
        writer.Report(At(20, a));
        writer.Report(At(30, a));
        writer.Report(At(50, a));
        writer.Report(At(60, []));

        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "drain: waiting for 2 job(s) (0s of 30m):",
            $@"  - \A\One on RB01, running since 2026-11-25 08:00:00Z (job {a.Id})",
            $@"  - \A\Two on RB01, running since 2026-11-25 08:00:00Z (job {b.Id})",
            "drain: waiting for 1 job(s) (20s of 30m):",
            $@"  - \A\One on RB01, running since 2026-11-25 08:00:00Z (job {a.Id})",
            "drain: waiting for 1 job(s) (50s of 30m):",
            $@"  - \A\One on RB01, running since 2026-11-25 08:00:00Z (job {a.Id})",
            "drain: nothing left running (1m of 30m)",
        ], lines);
    }
}
