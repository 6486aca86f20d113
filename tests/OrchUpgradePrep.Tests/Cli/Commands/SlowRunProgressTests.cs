using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class SlowRunProgressTests
{
    private static CheckResult Result(string id) => new()
    {
        Id = id,
        Prerequisite = Prerequisite.Requirements,
        Host = "orch-ms01",
        Status = CheckStatus.Met,
        Title = "t",
        Detail = "d",
        HelpUri = "docs/checks/x.md",
        DurationMs = 2000,
    };

    [Fact]
    public void Stays_quiet_for_fast_runs_then_prints_one_counted_line_per_check()
    {
        var time = new FakeTimeProvider();
        using var error = new StringWriter();
        var progress = new SlowRunProgress(error, time, total: 3);

        progress.Report(Result("requirements.cpu"));
        Assert.Equal(string.Empty, error.ToString());

        time.Advance(SlowRunProgress.QuietPeriod);
        progress.Report(Result("requirements.memory"));
        progress.Report(Result("requirements.disk"));

        Assert.Equal(
            ["orchprep: [2/3] orch-ms01 requirements.memory: met (2000 ms)", "orchprep: [3/3] orch-ms01 requirements.disk: met (2000 ms)"],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
