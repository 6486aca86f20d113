using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Tests.Reporting;

namespace OrchUpgradePrep.Tests.Cli.Reporting;

public sealed class ConsoleReportWriterTests
{
    private static string Render(Report report, bool interactive)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new ConsoleReportWriter(interactive).Write(report, writer);
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void SampleReport_MatchesGoldenFile() =>
        Golden.AssertMatches("console.txt", Render(SampleReport.Create(), interactive: false));

    [Fact]
    public void NotInteractive_WritesNoAnsiEscapeCodes() =>
        Assert.DoesNotContain('\u001b', Render(SampleReport.Create(), interactive: false));

    [Fact]
    public void EscapeCharacterInValue_CannotInjectAnsiIntoPlainOutput()
    {
        var report = SampleReport.Create() with
        {
            Checks = [SampleReport.Create().Checks[0] with { Detail = "\u001b[31mred\u001b[0m" }],
        };

        var text = Render(report, interactive: false);

        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("[31mred[0m", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_WritesColour() =>
        Assert.Contains("\u001b[", Render(SampleReport.Create(), interactive: true), StringComparison.Ordinal);

    [Fact]
    public void MarkupInValues_IsPrintedLiterally()
    {
        var text = Render(SampleReport.Create(), interactive: false);

        Assert.Contains("RebootInProgress is set: [red]value[/] 50%", text, StringComparison.Ordinal);
        Assert.Contains("query: 100% of ::set-output:: [red]x[/]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCheck_HasOneStatusLineAndTheLastLineSummarises()
    {
        var lines = Render(SampleReport.Create(), interactive: false).TrimEnd('\n').Split('\n');

        Assert.Contains("    UNMET  runbooks.no-running-jobs  2 jobs running; monitor ] still active | see <below> & act", lines);
        Assert.Contains("    MET    runbooks.no-running-jobs  No job is running", lines);
        Assert.Contains(lines, l => l.StartsWith("    WARN   restart.cbs-reboot-pending  ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    SKIP   restart.pending-file-rename  ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    ERROR  restart.windows-update  ", StringComparison.Ordinal));
        Assert.Equal("UNMET: a prerequisite is unmet; 1 met, 1 unmet, 1 warning, 1 skipped, 1 error (5 checks)", lines[^1]);
    }

    [Fact]
    public void ValueWithLineBreak_NeverStartsALogLineWithACommand()
    {
        var report = SampleReport.Create() with
        {
            Checks = [SampleReport.Create().Checks[0] with { Detail = "first\n::error::injected\r\n##[error]also" }],
        };

        var lines = Render(report, interactive: false).Split('\n');

        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("::", StringComparison.Ordinal) || l.TrimStart().StartsWith("##", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart() == "| ::error::injected");
    }

    [Fact]
    public void LongDetail_IsNotWrappedInPlainOutput()
    {
        var detail = string.Join(' ', Enumerable.Repeat("word", 100));
        var report = SampleReport.Create() with { Checks = [SampleReport.Create().Checks[1] with { Detail = detail }] };

        Assert.Contains(detail, Render(report, interactive: false), StringComparison.Ordinal);
    }
}
