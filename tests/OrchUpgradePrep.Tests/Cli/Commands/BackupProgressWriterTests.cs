using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Prepare.Backup;
using Xunit;

namespace OrchUpgradePrep.Tests.Cli.Commands;

public sealed class BackupProgressWriterTests
{
    [Fact]
    public void In_a_terminal_a_bar_left_short_of_100_percent_is_closed_so_the_next_line_starts_on_its_own()
    {
        using var error = new StringWriter { NewLine = "\n" };
        var progress = new BackupProgressWriter(error, interactive: true);

        progress.Report(new BackupProgress("verify", 0, "RESTORE VERIFYONLY"));
        progress.Report(new BackupProgress("verify", 40, "40 percent processed."));
        progress.Close();
        error.WriteLine("orchprep: running 109 checks");

        var lines = error.ToString().Split('\n');
        Assert.Contains("orchprep: running 109 checks", lines);
        Assert.EndsWith(" 40%", lines[^3], StringComparison.Ordinal);
    }

    [Fact]
    public void Close_without_an_open_bar_writes_nothing()
    {
        using var error = new StringWriter();
        var progress = new BackupProgressWriter(error, interactive: true);

        progress.Report(new BackupProgress("backup", 100, "100 percent processed."));
        var before = error.ToString();
        progress.Close();

        Assert.Equal(before, error.ToString());
    }
}
