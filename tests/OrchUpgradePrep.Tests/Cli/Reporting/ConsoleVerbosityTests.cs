using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Tests.Reporting;

namespace OrchUpgradePrep.Tests.Cli.Reporting;

/// <summary>What each --verbosity prints of the same report: never less than every non-met check in full.</summary>
public sealed class ConsoleVerbosityTests
{
    private static string[] Render(Report report, ConsoleVerbosity verbosity)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new ConsoleReportWriter(interactive: false, verbosity).Write(report, writer);
        return writer.ToString().TrimEnd('\n').Split('\n');
    }

    private static Report WithAction() => SampleReport.Create() with
    {
        Actions = [new ActionRecord(ActionKind.BlockStarts, "orch-rb02: orunbook", ActionOutcome.Stopped, "Orchestrator Runbook Service stopped")],
    };

    [Theory]
    [InlineData(ConsoleVerbosity.Quiet)]
    [InlineData(ConsoleVerbosity.Normal)]
    [InlineData(ConsoleVerbosity.Detailed)]
    [InlineData(ConsoleVerbosity.Diagnostic)]
    public void Every_level_prints_each_non_met_check_with_its_fix_and_help_and_the_verdict_line(ConsoleVerbosity verbosity)
    {
        var lines = Render(WithAction(), verbosity);

        Assert.Contains(lines, l => l.StartsWith("    UNMET  runbooks.no-running-jobs  2 jobs running", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    WARN   restart.cbs-reboot-pending  ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    ERROR  restart.windows-update  ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("fix: Stop them with `orchprep prepare --drain stop`", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("help: docs/checks/restart.windows-update.md", StringComparison.Ordinal));
        Assert.StartsWith("UNMET: ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Normal_counts_met_and_skipped_checks_on_their_hosts_line_and_lists_actions()
    {
        var lines = Render(WithAction(), ConsoleVerbosity.Normal);

        Assert.DoesNotContain(lines, l => l.StartsWith("    MET ", StringComparison.Ordinal) || l.StartsWith("    SKIP ", StringComparison.Ordinal));
        Assert.Contains("  orch-web01  1 met", lines);
        Assert.Contains("  orch-web01  1 skipped", lines);
        Assert.Contains("  orch-ms01", lines);
        Assert.Contains("  block-starts stopped: orch-rb02: orunbook — Orchestrator Runbook Service stopped", lines);
    }

    [Fact]
    public void Quiet_leaves_out_hosts_with_nothing_to_do_and_only_counts_the_actions()
    {
        var lines = Render(WithAction(), ConsoleVerbosity.Quiet);

        Assert.DoesNotContain(lines, l => l.Contains(" met", StringComparison.Ordinal) && l.StartsWith("  orch-", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("  block-starts", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("actions: 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Detailed_prints_every_check_as_before_and_diagnostic_adds_met_evidence_and_durations()
    {
        var detailed = Render(SampleReport.Create(), ConsoleVerbosity.Detailed);
        var diagnostic = Render(SampleReport.Create(), ConsoleVerbosity.Diagnostic);

        Assert.Contains("    MET    runbooks.no-running-jobs  No job is running", detailed);
        Assert.Contains(detailed, l => l.StartsWith("    SKIP   restart.pending-file-rename  ", StringComparison.Ordinal));
        Assert.DoesNotContain(detailed, l => l.Contains("ORCH.POLICYINSTANCES: 0 rows", StringComparison.Ordinal));
        Assert.Contains("    MET    runbooks.no-running-jobs  No job is running (20 ms)", diagnostic);
        Assert.Contains(diagnostic, l => l.Trim() == "ORCH.POLICYINSTANCES: 0 rows");
    }

    [Fact]
    public void The_default_is_detailed_so_existing_callers_print_every_check()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new ConsoleReportWriter(interactive: false).Write(SampleReport.Create(), writer);

        Assert.Equal(Render(SampleReport.Create(), ConsoleVerbosity.Detailed), writer.ToString().TrimEnd('\n').Split('\n'));
    }
}
