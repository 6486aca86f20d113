using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Cli.Commands;
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

public sealed class BackupProgressThinningTests
{
    private static string[] Lines(OrchUpgradePrep.Cli.Reporting.ConsoleVerbosity verbosity)
    {
        using var error = new StringWriter { NewLine = "\n" };
        var progress = new BackupProgressWriter(error, interactive: false, verbosity);
        progress.Report(new BackupProgress("backup", 0, "BACKUP DATABASE [Orchestrator]"));
        for (var percent = 5; percent <= 100; percent += 5)
        {
            progress.Report(new BackupProgress("backup", percent, $"{percent} percent processed."));
        }

        progress.Report(new BackupProgress("verify", 0, "RESTORE VERIFYONLY"));
        progress.Report(new BackupProgress("verify", 3, "3 percent processed."));
        progress.Report(new BackupProgress("verify", 6, "6 percent processed."));
        progress.Report(new BackupProgress("verify", 12, "12 percent processed."));
        return error.ToString().TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void Normal_prints_a_steps_first_percentage_then_one_line_per_tenth()
    {
        var lines = Lines(OrchUpgradePrep.Cli.Reporting.ConsoleVerbosity.Normal);

        var backup = lines.Where(l => l.StartsWith("orchprep: backup ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToArray();
        Assert.Equal(["5%", "10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "100%"], backup);
        Assert.Equal(["3%", "12%"], lines.Where(l => l.StartsWith("orchprep: verify ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
        Assert.Contains("orchprep: verify: RESTORE VERIFYONLY", lines);
    }

    [Fact]
    public void Detailed_prints_every_percentage_sql_server_reports()
    {
        var lines = Lines(OrchUpgradePrep.Cli.Reporting.ConsoleVerbosity.Detailed);

        Assert.Equal(20, lines.Count(l => l.StartsWith("orchprep: backup ", StringComparison.Ordinal) && l.Contains('%', StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.StartsWith("orchprep: verify ", StringComparison.Ordinal) && l.Contains('%', StringComparison.Ordinal)));
    }
}
