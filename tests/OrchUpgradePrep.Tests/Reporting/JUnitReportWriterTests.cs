using System.Xml.Linq;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class JUnitReportWriterTests
{
    private static string Render(Report report)
    {
        using var writer = new StringWriter();
        new JUnitReportWriter().Write(report, writer);
        return writer.ToString();
    }

    [Fact]
    public void SampleReport_MatchesGoldenFile() =>
        Golden.AssertMatches("junit.xml", Render(SampleReport.Create()));

    [Fact]
    public void Suites_ArePerPrerequisiteWithCorrectCounts()
    {
        var root = XDocument.Parse(Render(SampleReport.Create())).Root!;

        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(["5", "1", "1", "1"], [(string)root.Attribute("tests")!, (string)root.Attribute("failures")!, (string)root.Attribute("errors")!, (string)root.Attribute("skipped")!]);
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(["runbooks", "restart"], suites.Select(s => (string)s.Attribute("name")!));
        Assert.Equal(["2", "1", "0", "0"], [(string)suites[0].Attribute("tests")!, (string)suites[0].Attribute("failures")!, (string)suites[0].Attribute("errors")!, (string)suites[0].Attribute("skipped")!]);
        Assert.Equal(["3", "0", "1", "1"], [(string)suites[1].Attribute("tests")!, (string)suites[1].Attribute("failures")!, (string)suites[1].Attribute("errors")!, (string)suites[1].Attribute("skipped")!]);
    }

    [Fact]
    public void UnmetCheck_IsFailureWithDetailEvidenceAndRemediation()
    {
        var root = XDocument.Parse(Render(SampleReport.Create())).Root!;
        var testCase = root.Descendants("testcase").First(t => (string)t.Attribute("classname")! == "runbooks.orch-ms01");
        var failure = testCase.Element("failure")!;

        Assert.Equal("runbooks.no-running-jobs", (string)testCase.Attribute("name")!);
        Assert.Equal("1.234", (string)testCase.Attribute("time")!);
        Assert.Equal("unmet", (string)failure.Attribute("type")!);
        Assert.StartsWith("2 jobs running; monitor ] still active | see <below> & act", (string)failure.Attribute("message")!, StringComparison.Ordinal);
        Assert.Contains("ORCH.POLICYINSTANCES: Job 42 | status=Running", failure.Value, StringComparison.Ordinal);
        Assert.Contains("Remediation: Stop them with", failure.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorSkippedAndWarning_MapToErrorSkippedAndSystemOut()
    {
        var cases = XDocument.Parse(Render(SampleReport.Create())).Root!.Descendants("testcase").ToDictionary(t => (string)t.Attribute("name")! + "@" + (string)t.Attribute("classname")!);

        Assert.NotNull(cases["restart.windows-update@restart.orch-web01"].Element("error"));
        Assert.Equal("Skipped by policy: AV updater, see change 4711", (string)cases["restart.pending-file-rename@restart.orch-web01"].Element("skipped")!.Attribute("message")!);
        var warning = cases["restart.cbs-reboot-pending@restart.orch-ms01"];
        Assert.Null(warning.Element("failure"));
        Assert.StartsWith("WARNING: ", warning.Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.Empty(cases["runbooks.no-running-jobs@runbooks.orch-web01"].Elements());
    }

    [Fact]
    public void CharacterInvalidInXml_IsDroppedNotFatal()
    {
        var xml = Render(SampleReport.Create());

        Assert.DoesNotContain("\u0001", xml, StringComparison.Ordinal);
        Assert.Contains("Access denied reading HKLM; code=5", xml, StringComparison.Ordinal);
    }
}
