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

    [Fact]
    public void In_a_terminal_redraws_one_line_in_place_from_the_first_check_and_clears_it_at_the_end()
    {
        var time = new FakeTimeProvider();
        using var error = new StringWriter();
        var progress = new SlowRunProgress(error, time, total: 2, liveWidth: 80);

        progress.Report(Result("requirements.cpu"));
        Assert.Equal("\r\u001b[2Korchprep: [1/2] orch-ms01 requirements.cpu: met", error.ToString());

        progress.Report(Result("requirements.memory"));
        var written = error.ToString();
        Assert.DoesNotContain('\n', written);
        Assert.EndsWith("orchprep: [2/2] orch-ms01 requirements.memory: met\r\u001b[2K", written, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_narrow_terminal_the_live_line_is_cut_so_it_never_wraps_and_close_clears_a_line_left_open()
    {
        var time = new FakeTimeProvider();
        using var error = new StringWriter();
        var progress = new SlowRunProgress(error, time, total: 5, liveWidth: 30);

        progress.Report(Result("requirements.aspnetcore-hosting-bundle"));
        var line = error.ToString()["\r\u001b[2K".Length..];
        Assert.True(line.Length < 30, line);
        Assert.EndsWith("…", line, StringComparison.Ordinal);

        progress.Close();
        Assert.EndsWith("\r\u001b[2K", error.ToString(), StringComparison.Ordinal);
        progress.Close();
        Assert.Equal(2, error.ToString().Split("\r\u001b[2K").Length - 1);
    }
}
