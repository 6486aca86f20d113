using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class MarkdownReportWriterTests
{
    private static string Render(Report report)
    {
        using var writer = new StringWriter();
        new MarkdownReportWriter().Write(report, writer);
        return writer.ToString();
    }

    [Fact]
    public void SampleReport_MatchesGoldenFile() =>
        Golden.AssertMatches("report.md", Render(SampleReport.Create()));

    [Fact]
    public void Heading_NamesOutcomeInWordsEnvironmentAndTarget()
    {
        var firstLine = Render(SampleReport.Create()).Split('\n')[0];

        Assert.Equal("# ❌ UNMET: orchprep check, environment prod, target 2022", firstLine);
    }

    [Fact]
    public void ProblemsTable_ListsOnlyUnmetAndErrorRowsWithEscapedCells()
    {
        var lines = Render(SampleReport.Create()).Split('\n');
        var header = Array.IndexOf(lines, "| Status | Host | Check | Detail | Remediation |");
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal(
            "| ❌ unmet | orch-ms01 | `runbooks.no-running-jobs` | 2 jobs running; monitor \\] still active \\| see &lt;below&gt; &amp; act " +
            "| Stop them with \\`orchprep prepare --drain stop\\` \\| or wait |",
            rows[0]);
        Assert.StartsWith("| ⚠️ error | orch-web01 | `restart.windows-update` |", rows[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("line1\r\nline2\nline3", "line1<br>line2<br>line3")]
    [InlineData("`code`", "\\`code\\`")]
    [InlineData("<script>&", "&lt;script&gt;&amp;")]
    [InlineData(@"C:\a|b", @"C:\\a\|b")]
    public void CellValue_CannotBreakTheTable(string value, string expected) =>
        Assert.Equal(expected, MarkdownText.Escape(value));

    [Fact]
    public void EveryTableRow_HasTheHeadersNumberOfCells()
    {
        // A cell that leaked a '|' or a line break would change the count of unescaped pipes.
        foreach (var line in Render(SampleReport.Create()).Split('\n').Where(l => l.StartsWith('|')))
        {
            var pipes = 0;
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '\\')
                {
                    i++;
                }
                else if (line[i] == '|')
                {
                    pipes++;
                }
            }

            Assert.True(pipes is 3 or 5 or 6 or 7, $"unexpected cell count in: {line}");
        }
    }
}
