using System.IO.Abstractions.TestingHelpers;
using System.Text;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines.GitHubActions;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Pipelines.GitHubActions;

public sealed class GitHubActionsHostTests : IDisposable
{
    private const string OutputPath = "/runner/_temp/github_output";
    private const string SummaryPath = "/runner/_temp/step_summary";

    private readonly StringWriter _stdout = new();
    private readonly MockFileSystem _fs = new();
    private readonly SecretMasker _masker = new();

    public void Dispose() => _stdout.Dispose();

    public GitHubActionsHostTests()
    {
        _fs.AddDirectory("/runner/_temp");
    }

    private GitHubActionsHost CreateHost(Func<string>? delimiters = null) =>
        delimiters is null
            ? new GitHubActionsHost(_stdout, _fs, _masker, OutputPath, SummaryPath)
            : new GitHubActionsHost(_stdout, _fs, _masker, OutputPath, SummaryPath, delimiters);

    [Fact]
    public void An_output_file_that_cannot_be_written_is_one_error_annotation_and_a_delivery_problem_not_a_crash()
    {
        // A folder where the runner's file should be: appending to it fails, as for a file owned by another user.
        var temp = Directory.CreateTempSubdirectory("orchprep-ghoutput-");
        try
        {
            var outputPath = Directory.CreateDirectory(Path.Combine(temp.FullName, "set_output")).FullName;
            var summaryPath = Path.Combine(temp.FullName, "step_summary");
            var host = new GitHubActionsHost(_stdout, new System.IO.Abstractions.FileSystem(), _masker, outputPath, summaryPath);

            host.SetOutput("outcome", "met");
            host.SetOutput("reportPath", "/runner/_temp/orchprep-report/report.json");
            host.PublishSummary("/runner/_temp/orchprep-report/report.md", "# MET");

            var error = Assert.Single(Lines(), l => l.StartsWith("::error", StringComparison.Ordinal));
            Assert.StartsWith($"::error title=orchprep::the step outputs (from 'outcome' on) could not be written to {outputPath}: ", error, StringComparison.Ordinal);
            var problem = Assert.Single(host.DeliveryProblems);
            Assert.StartsWith("the step outputs (from 'outcome' on) could not be written", problem, StringComparison.Ordinal);
            Assert.Equal("# MET", File.ReadAllText(summaryPath));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private string[] Lines() => _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static CheckResult Check(CheckStatus status, string detail = "detail", string host = "orch-ms01") => new()
    {
        Id = "runbooks.no-running-jobs",
        Prerequisite = Prerequisite.Runbooks,
        Host = host,
        Status = status,
        Title = "title",
        Detail = detail,
        HelpUri = "docs/checks/x.md",
    };

    [Fact]
    public void UnmetCheck_WritesErrorWithEscapedTitleAndDetail()
    {
        CreateHost().Annotate(Check(CheckStatus.Unmet, "50% done;\r\nnext ] ::error::x", host: "orch:ms01,b"));

        Assert.Equal(["::error title=runbooks.no-running-jobs on orch%3Ams01%2Cb::50%25 done;%0D%0Anext ] ::error::x"], Lines());
    }

    [Fact]
    public void WarningCheck_WritesWarning_MetAndSkippedWriteNothing()
    {
        var host = CreateHost();
        host.Annotate(Check(CheckStatus.Met));
        host.Annotate(Check(CheckStatus.Skipped));
        host.Annotate(Check(CheckStatus.Warning, "careful"));
        host.Annotate(Check(CheckStatus.Error, "broke"));

        Assert.Equal(
            [
                "::warning title=runbooks.no-running-jobs on orch-ms01::careful",
                "::error title=runbooks.no-running-jobs on orch-ms01::broke",
            ],
            Lines());
    }

    [Theory]
    [InlineData("%\r\n:,", "%25%0D%0A%3A%2C")]
    [InlineData("%3A", "%253A")]
    public void PropertyEscaping_EscapesPercentFirstThenColonAndComma(string value, string expected) =>
        Assert.Equal(expected, WorkflowCommandEscaper.Property(value));

    [Fact]
    public void MessageEscaping_LeavesColonsAndCommas() =>
        Assert.Equal("a::b,c%25%0A", WorkflowCommandEscaper.Message("a::b,c%\n"));

    [Fact]
    public void RegisterSecrets_MasksEachLineBeforeAnythingElse()
    {
        var host = CreateHost();
        host.RegisterSecrets(["line one\r\nline%two"]);
        host.Annotate(Check(CheckStatus.Unmet, "has line one inside"));

        Assert.Equal(
            [
                "::add-mask::line one",
                "::add-mask::line%25two",
                "::error title=runbooks.no-running-jobs on orch-ms01::has *** inside",
            ],
            Lines());
    }

    [Fact]
    public void RegisterSecrets_AfterOtherOutput_Throws()
    {
        var host = CreateHost();
        host.Annotate(Check(CheckStatus.Warning));

        Assert.Throws<InvalidOperationException>(() => host.RegisterSecrets(["late"]));
    }

    [Fact]
    public void SingleLineOutput_IsAppendedAsNameEqualsValue()
    {
        var host = CreateHost();
        host.SetOutput("outcome", "unmet");
        host.SetOutput("unmet-count", "2");

        Assert.Equal("outcome=unmet\nunmet-count=2\n", _fs.File.ReadAllText(OutputPath));
        Assert.Empty(_stdout.ToString());
    }

    [Fact]
    public void MultiLineOutput_UsesHeredocWithDelimiterAbsentFromValue()
    {
        var candidates = new Queue<string>(["EOF", "ghadelimiter_2"]);
        CreateHost(() => candidates.Dequeue()).SetOutput("unmet", "a\nEOF\nb");

        Assert.Equal("unmet<<ghadelimiter_2\na\nEOF\nb\nghadelimiter_2\n", _fs.File.ReadAllText(OutputPath));
    }

    [Fact]
    public void MultiLineOutput_DefaultDelimiterIsRandom()
    {
        CreateHost().SetOutput("unmet", "a\nb");

        var lines = _fs.File.ReadAllText(OutputPath).Split('\n');
        var delimiter = lines[0]["unmet<<".Length..];
        Assert.StartsWith("ghadelimiter_", delimiter, StringComparison.Ordinal);
        Assert.True(delimiter.Length > 20);
        Assert.Equal(["unmet<<" + delimiter, "a", "b", delimiter, ""], lines);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("a<<b")]
    [InlineData("a\nb")]
    public void InvalidOutputName_IsRejected(string name) =>
        Assert.Throws<ArgumentException>(() => CreateHost().SetOutput(name, "v"));

    [Fact]
    public void WithoutGitHubOutputFile_OutputIsDropped()
    {
        new GitHubActionsHost(_stdout, _fs, _masker, outputPath: null, summaryPath: null).SetOutput("x", "y");

        Assert.False(_fs.File.Exists(OutputPath));
        Assert.Empty(_stdout.ToString());
    }

    [Fact]
    public void Summary_IsAppendedAsUtf8WithoutBom()
    {
        _fs.File.WriteAllText(SummaryPath, "earlier\n");
        CreateHost().PublishSummary("out/report.md", "# ✅ MET\n");

        var bytes = _fs.File.ReadAllBytes(SummaryPath);
        Assert.Equal("earlier\n# ✅ MET\n", Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
    }

    [Fact]
    public void SummaryOverOneMebibyte_IsTruncatedWithNotePointingToReport()
    {
        _fs.File.WriteAllText(SummaryPath, new string('x', 1000));
        var markdown = string.Concat(Enumerable.Repeat("| é row |\n", 200_000));

        CreateHost().PublishSummary("out/report.md", markdown);

        var bytes = _fs.File.ReadAllBytes(SummaryPath);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.True(bytes.Length <= GitHubActionsHost.SummaryLimitBytes, $"{bytes.Length} bytes");
        Assert.True(bytes.Length > GitHubActionsHost.SummaryLimitBytes - 1000);
        Assert.EndsWith("The full report is out/report.md.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Fact]
    public void CompleteAndTestResults_PrintNothing()
    {
        var host = CreateHost();
        host.PublishTestResults("junit.xml");
        host.Complete(RunOutcome.Unmet);

        Assert.Empty(_stdout.ToString());
    }

    [Fact]
    public void Data_that_looks_like_a_workflow_command_is_printed_between_stop_and_resume()
    {
        var host = CreateHost(() => "tok-3f9a");

        host.WriteData(_stdout, w => w.WriteLine("::add-mask::x and ::error::fake, from a registry value"));

        Assert.Equal(["::stop-commands::tok-3f9a", "::add-mask::x and ::error::fake, from a registry value", "::tok-3f9a::"], Lines());
    }

    [Fact]
    public void OutputValue_IsWrittenAsItIs_EvenWhenASecretIsPartOfIt()
    {
        // The value is a path orchprep wrote; masked, it would name a file that does not exist.
        var host = CreateHost();
        host.RegisterSecrets(["_temp"]);
        host.SetOutput("reportPath", "/runner/_temp/orchprep-report/report.json");
        host.PublishSummary("/runner/_temp/orchprep-report/report.md", "see _temp\n");

        Assert.Equal("reportPath=/runner/_temp/orchprep-report/report.json\n", _fs.File.ReadAllText(OutputPath));
        Assert.Equal("see ***\n", _fs.File.ReadAllText(SummaryPath));
    }
}
