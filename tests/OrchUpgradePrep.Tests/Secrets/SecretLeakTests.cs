using System.IO.Abstractions.TestingHelpers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Pipelines.AzurePipelines;
using OrchUpgradePrep.Pipelines.GitHubActions;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Secrets;
using OrchUpgradePrep.Tests.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Secrets;

/// <summary>
/// End to end over the real sinks: a secret inside check details and evidence must not appear, raw or encoded,
/// in anything orchprep writes — only in the registration lines that tell the pipeline to mask it.
/// </summary>
public sealed class SecretLeakTests
{
    // Every character class that an encoder or escaper rewrites: % ; ] : , | < & " ' + / and non-ASCII.
    private const string Secret = "Tr0ub4dor%;]:,|<&\"'+/é";

    private static IEnumerable<string> ForbiddenForms(string secret)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        return
        [
            secret,
            base64,
            base64.TrimEnd('='),
            Uri.EscapeDataString(secret),
            JsonEncodedText.Encode(secret).ToString(),
            JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        ];
    }

    private static bool IsRegistration(string line) =>
        line.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal) || line.StartsWith("::add-mask::", StringComparison.Ordinal);

    private static void AssertNoSecret(string where, string text, string secret = Secret)
    {
        foreach (var line in text.Split('\n').Where(l => !IsRegistration(l)))
        {
            foreach (var form in ForbiddenForms(secret))
            {
                Assert.False(line.Contains(form, StringComparison.Ordinal), $"{where} leaks '{form}' in: {line}");
            }
        }
    }

    [Fact]
    public void ReportFiles_NeverContainTheSecret()
    {
        var masker = new SecretMasker();
        masker.Add(Secret);
        var fs = new MockFileSystem();

        var paths = new ReportFileWriter(fs, masker).WriteAll(SampleReport.Create(Secret), "/out");

        Assert.Equal(3, paths.Count);
        foreach (var path in paths)
        {
            var text = fs.File.ReadAllText(path);
            // Markdown escapes the mask itself (\*\*\*), which renders as ***.
            Assert.Contains(path.EndsWith(".md", StringComparison.Ordinal) ? "token=\\*\\*\\*" : "token=***", text, StringComparison.Ordinal);
            AssertNoSecret(path, text);
        }
    }

    [Fact]
    public void ReportFiles_AreUtf8WithoutBom()
    {
        var fs = new MockFileSystem();

        foreach (var path in new ReportFileWriter(fs, new SecretMasker()).WriteAll(SampleReport.Create(), "/out"))
        {
            Assert.NotEqual(0xEF, fs.File.ReadAllBytes(path)[0]);
        }
    }

    [Fact]
    public void ConsoleReport_ThroughMaskingWriter_NeverContainsTheSecret()
    {
        var masker = new SecretMasker();
        masker.Add(Secret);
        var inner = new StringWriter();
        using (var writer = new MaskingTextWriter(inner, masker, leaveOpen: true))
        {
            new ConsoleReportWriter(interactive: false).Write(ReportRedactor.Redact(SampleReport.Create(Secret), masker), writer);
        }

        Assert.Contains("token=***", inner.ToString(), StringComparison.Ordinal);
        AssertNoSecret("console", inner.ToString());
    }

    public static TheoryData<string> Reporters() => ["json", "markdown", "junit", "console"];

    [Theory]
    [MemberData(nameof(Reporters))]
    public void EveryReporter_SinkMaskingAloneHidesAPlainSecret(string reporter)
    {
        // No redaction here: proves the sink masker alone catches a secret the reporters leave intact.
        const string plain = "plainSecretValue42";
        var masker = new SecretMasker();
        masker.Add(plain);
        var inner = new StringWriter();
        using (var writer = new MaskingTextWriter(inner, masker, leaveOpen: true))
        {
            var report = SampleReport.Create(plain);
            switch (reporter)
            {
                case "json": new JsonReportWriter().Write(report, writer); break;
                case "markdown": new MarkdownReportWriter().Write(report, writer); break;
                case "junit": new JUnitReportWriter().Write(report, writer); break;
                default: new ConsoleReportWriter(interactive: false).Write(report, writer); break;
            }
        }

        Assert.Contains("***", inner.ToString(), StringComparison.Ordinal);
        AssertNoSecret(reporter, inner.ToString(), plain);
    }

    public static TheoryData<string> Hosts() => ["azure", "github"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public void EveryPipelineHost_NeverWritesTheSecretOutsideRegistration(string kind)
    {
        var masker = new SecretMasker();
        var stdout = new StringWriter();
        var fs = new MockFileSystem();
        fs.AddDirectory("/gh");
        IPipelineHost host = kind == "azure"
            ? new AzurePipelinesHost(stdout, fs, masker)
            : new GitHubActionsHost(stdout, fs, masker, "/gh/output", "/gh/summary");
        var report = SampleReport.Create(Secret);

        host.RegisterSecrets([Secret]);
        foreach (var check in report.Checks)
        {
            host.Annotate(check);
        }

        // Outputs carry data orchprep produced (an outcome, a path), written as they are (ADR 0011); free text is below.
        host.SetOutput("outcome", "unmet");
        host.SetOutput("reportPath", "/out/report.json");
        var markdown = new StringWriter();
        new MarkdownReportWriter().Write(report, markdown);
        host.PublishSummary("/out/report.md", markdown.ToString());
        host.PublishTestResults("/out/junit.xml");
        host.Complete(report.Outcome);

        var lines = stdout.ToString().Split('\n');
        Assert.True(IsRegistration(lines[0]), "registration must be printed first");
        Assert.Contains(lines.Where(IsRegistration), l => l.Contains("Tr0ub4dor", StringComparison.Ordinal));
        AssertNoSecret("stdout", stdout.ToString());
        if (kind == "github")
        {
            // The only workflow commands printed are the ones the host owns.
            Assert.All(
                lines.Where(l => l.TrimStart().StartsWith("::", StringComparison.Ordinal)),
                l => Assert.Matches("^::(add-mask|error|warning)( title=[^:]*)?::", l));
            AssertNoSecret("GITHUB_OUTPUT", fs.File.ReadAllText("/gh/output"));
            AssertNoSecret("GITHUB_STEP_SUMMARY", fs.File.ReadAllText("/gh/summary"));
            Assert.Equal("outcome=unmet\nreportPath=/out/report.json\n", fs.File.ReadAllText("/gh/output"));
        }

        // The free text (the annotations) carries the secret masked.
        Assert.Contains("token=***", stdout.ToString(), StringComparison.Ordinal);
    }
}
