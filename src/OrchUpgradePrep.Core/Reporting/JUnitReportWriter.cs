using System.Globalization;
using System.Text;
using System.Xml;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Renders junit.xml for the pipeline's test tab: one testsuite per prerequisite, one testcase per
/// check and host (classname <c>prerequisite.host</c>). Unmet is a failure, error an error, skipped
/// skipped; a warning passes and carries its text in system-out.
/// </summary>
public sealed class JUnitReportWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Replace,
        // The declaration is written by hand: the sink is UTF-8 whatever the TextWriter claims (StringWriter says UTF-16).
        OmitXmlDeclaration = true,
        CloseOutput = false,
    };

    /// <summary>Writes the JUnit XML document. The caller opens the sink as UTF-8 without BOM.</summary>
    public void Write(Report report, TextWriter writer)
    {
        writer.Write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        var all = StatusCounts.Of(report.Checks);
        using (var xml = XmlWriter.Create(writer, Settings))
        {
            xml.WriteStartElement("testsuites");
            Attribute(xml, "name", $"orchprep {WireNames.Of(report.Mode)} {report.Environment} {report.Target}");
            WriteCounts(xml, all, report.Checks.Sum(c => c.DurationMs));

            foreach (var (prerequisite, hosts) in ReportGrouping.ByPrerequisiteAndHost(report.Checks))
            {
                var checks = hosts.SelectMany(h => h.Checks).ToList();
                xml.WriteStartElement("testsuite");
                Attribute(xml, "name", WireNames.Of(prerequisite));
                WriteCounts(xml, StatusCounts.Of(checks), checks.Sum(c => c.DurationMs));
                Attribute(xml, "timestamp", report.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                foreach (var check in checks)
                {
                    WriteTestCase(xml, check);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        writer.Write('\n');
    }

    private static void WriteCounts(XmlWriter xml, StatusCounts counts, long durationMs)
    {
        Attribute(xml, "tests", counts.Total.ToString(CultureInfo.InvariantCulture));
        Attribute(xml, "failures", counts.Unmet.ToString(CultureInfo.InvariantCulture));
        Attribute(xml, "errors", counts.Error.ToString(CultureInfo.InvariantCulture));
        Attribute(xml, "skipped", counts.Skipped.ToString(CultureInfo.InvariantCulture));
        Attribute(xml, "time", Seconds(durationMs));
    }

    private static void WriteTestCase(XmlWriter xml, CheckResult check)
    {
        xml.WriteStartElement("testcase");
        Attribute(xml, "classname", $"{WireNames.Of(check.Prerequisite)}.{check.Host}");
        Attribute(xml, "name", check.Id);
        Attribute(xml, "time", Seconds(check.DurationMs));
        switch (check.Status)
        {
            case CheckStatus.Unmet:
                xml.WriteStartElement("failure");
                Attribute(xml, "message", check.Detail);
                Attribute(xml, "type", WireNames.Of(check.Status));
                xml.WriteString(XmlText.Clean(Body(check)));
                xml.WriteEndElement();
                break;
            case CheckStatus.Error:
                xml.WriteStartElement("error");
                Attribute(xml, "message", check.Detail);
                Attribute(xml, "type", WireNames.Of(check.Status));
                xml.WriteString(XmlText.Clean(Body(check)));
                xml.WriteEndElement();
                break;
            case CheckStatus.Skipped:
                xml.WriteStartElement("skipped");
                Attribute(xml, "message", check.Detail);
                xml.WriteEndElement();
                break;
            case CheckStatus.Warning:
                xml.WriteElementString("system-out", XmlText.Clean("WARNING: " + Body(check)));
                break;
            case CheckStatus.Met:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(check), check.Status, "unknown status");
        }

        xml.WriteEndElement();
    }

    // The body a person reads in the test tab: what was found, the evidence for it, and what to do.
    private static string Body(CheckResult check)
    {
        var body = new StringBuilder();
        body.Append(check.Title).Append(": ").Append(check.Detail).Append('\n');
        if (check.Evidence.Count > 0)
        {
            body.Append("Evidence:\n");
            foreach (var evidence in check.Evidence)
            {
                // Continuation lines of a multi-line value stay under their evidence line.
                var value = evidence.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\n    ", StringComparison.Ordinal);
                body.Append("  ").Append(evidence.Source).Append(": ").Append(value).Append('\n');
            }
        }

        if (!string.IsNullOrEmpty(check.Remediation))
        {
            body.Append("Remediation: ").Append(check.Remediation).Append('\n');
        }

        body.Append("Help: ").Append(check.HelpUri);
        return body.ToString();
    }

    private static void Attribute(XmlWriter xml, string name, string value) =>
        xml.WriteAttributeString(name, XmlText.Clean(value));

    private static string Seconds(long milliseconds) =>
        (milliseconds / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
