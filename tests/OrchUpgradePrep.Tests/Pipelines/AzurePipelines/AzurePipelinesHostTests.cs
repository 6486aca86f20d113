using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Pipelines.AzurePipelines;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Pipelines.AzurePipelines;

public sealed class AzurePipelinesHostTests : IDisposable
{
    private readonly StringWriter _stdout = new();
    private readonly MockFileSystem _fs = new();
    private readonly SecretMasker _masker = new();

    public void Dispose() => _stdout.Dispose();

    private AzurePipelinesHost CreateHost() => new(_stdout, _fs, _masker);

    private string[] Lines() => _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static CheckResult Check(CheckStatus status, string detail = "detail", string host = "orch-ms01", string id = "runbooks.no-running-jobs") => new()
    {
        Id = id,
        Prerequisite = Prerequisite.Runbooks,
        Host = host,
        Status = status,
        Title = "title",
        Detail = detail,
        HelpUri = "docs/checks/x.md",
    };

    [Fact]
    public void UnmetCheck_WritesErrorIssueWithEscapedDetail()
    {
        CreateHost().Annotate(Check(CheckStatus.Unmet, "50% done;\r\nnext ] :: end"));

        Assert.Equal(["##vso[task.logissue type=error;code=runbooks.no-running-jobs;]orch-ms01: runbooks.no-running-jobs: 50%AZP25 done;%0D%0Anext ] :: end"], Lines());
    }

    [Fact]
    public void ErrorAndWarningChecks_WriteTheirIssueTypes_MetAndSkippedWriteNothing()
    {
        var host = CreateHost();
        host.Annotate(Check(CheckStatus.Met));
        host.Annotate(Check(CheckStatus.Skipped));
        host.Annotate(Check(CheckStatus.Error, "boom"));
        host.Annotate(Check(CheckStatus.Warning, "hmm"));

        Assert.Equal(
            [
                "##vso[task.logissue type=error;code=runbooks.no-running-jobs;]orch-ms01: runbooks.no-running-jobs: boom",
                "##vso[task.logissue type=warning;code=runbooks.no-running-jobs;]orch-ms01: runbooks.no-running-jobs: hmm",
            ],
            Lines());
    }

    [Fact]
    public void CheckIdWithCommandCharacters_IsEscapedAsAProperty()
    {
        CreateHost().Annotate(Check(CheckStatus.Unmet, "d", id: "a;b]c%d\r\ne"));

        Assert.Equal(["##vso[task.logissue type=error;code=a%3Bb%5Dc%AZP25d%0D%0Ae;]orch-ms01: a;b]c%AZP25d%0D%0Ae: d"], Lines());
    }

    [Fact]
    public void SetOutput_WritesOutputVariableWithEscapedNameAndValue()
    {
        CreateHost().SetOutput("out;come]", "unmet 100%\nsecond ::line;]");

        Assert.Equal(["##vso[task.setvariable variable=out%3Bcome%5D;isOutput=true;issecret=false]unmet 100%AZP25%0Asecond ::line;]"], Lines());
    }

    [Theory]
    [InlineData("%;\r\n]", "%AZP25%3B%0D%0A%5D")]
    [InlineData("%3B", "%AZP253B")]
    [InlineData("plain", "plain")]
    public void PropertyEscaping_EscapesPercentFirstThenTheOthers(string value, string expected) =>
        Assert.Equal(expected, AzureLoggingEscaper.Property(value));

    [Theory]
    [InlineData("%;\r\n]", "%AZP25;%0D%0A]")]
    [InlineData("a::b", "a::b")]
    public void MessageEscaping_EscapesPercentAndLineBreaksOnly(string value, string expected) =>
        Assert.Equal(expected, AzureLoggingEscaper.Message(value));

    [Fact]
    public void RegisterSecrets_PrintsOneSetSecretPerLineBeforeAnythingElse()
    {
        var host = CreateHost();
        host.RegisterSecrets(["first\nsecond", "", "plain"]);
        host.SetOutput("x", "met");

        Assert.Equal(
            [
                "##vso[task.setsecret]first",
                "##vso[task.setsecret]second",
                "##vso[task.setsecret]plain",
                "##vso[task.setvariable variable=x;isOutput=true;issecret=false]met",
            ],
            Lines());
    }

    [Fact]
    public void SecretWithPercent_IsRegisteredEscapedAndRawForAgentsThatDoNotDecode()
    {
        CreateHost().RegisterSecrets(["50%off"]);

        Assert.Equal(["##vso[task.setsecret]50%AZP25off", "##vso[task.setsecret]50%off"], Lines());
    }

    [Fact]
    public void RegisterSecrets_AfterOtherOutput_Throws()
    {
        var host = CreateHost();
        host.SetOutput("x", "y");

        Assert.Throws<InvalidOperationException>(() => host.RegisterSecrets(["late"]));
    }

    [Theory]
    [InlineData(RunOutcome.Unmet, "##vso[task.complete result=Failed;]orchprep: a prerequisite is unmet")]
    [InlineData(RunOutcome.Error, "##vso[task.complete result=Failed;]orchprep: a check could not be evaluated")]
    [InlineData(RunOutcome.Cancelled, "##vso[task.complete result=Failed;]orchprep: the run was cancelled")]
    [InlineData(RunOutcome.Met, "##vso[task.complete result=Succeeded;]orchprep: all prerequisites met")]
    public void Complete_SetsTaskResultFromOutcome(RunOutcome outcome, string expected)
    {
        CreateHost().Complete(outcome);

        Assert.Equal([expected], Lines());
    }

    [Fact]
    public void Complete_MetAfterWarning_SucceedsWithIssues()
    {
        var host = CreateHost();
        host.Annotate(Check(CheckStatus.Warning));
        host.Complete(RunOutcome.Met);

        Assert.Equal("##vso[task.complete result=SucceededWithIssues;]orchprep: all prerequisites met, with warnings", Lines()[^1]);
    }

    [Fact]
    public void SummaryAndTestResults_PointToAbsolutePaths()
    {
        var host = CreateHost();
        host.PublishSummary("out/report.md", "# x");
        host.PublishTestResults("out/junit.xml");

        Assert.Equal(
            [
                $"##vso[task.uploadsummary]{_fs.Path.GetFullPath("out/report.md")}",
                $"##vso[results.publish type=JUnit;runTitle=orchprep;]{_fs.Path.GetFullPath("out/junit.xml")}",
            ],
            Lines());
        Assert.True(_fs.Path.IsPathRooted(Lines()[0]["##vso[task.uploadsummary]".Length..]));
    }

    [Fact]
    public void Data_cannot_smuggle_a_logging_command_in_anywhere_in_a_line()
    {
        CreateHost().WriteData(_stdout, w =>
        {
            w.WriteLine("DisplayName \"x ##vso[task.setvariable variable=outcome]met\"");
            w.WriteLine("##VSO[task.complete result=Succeeded;]");
            w.WriteLine("##[error]fake error line");
        });

        Assert.DoesNotContain("##vso[", _stdout.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("##[", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(["DisplayName \"x ##vso [task.setvariable variable=outcome]met\"", "##vso [task.complete result=Succeeded;]", "## [error]fake error line"], Lines());
    }

    [Fact]
    public void DataCommands_CarryThePathAsItIs_WhileAnIssueMasksTheSecret()
    {
        // A secret that is part of the agent's temp path: the commands must still name the files the agent reads.
        _fs.AddFile("/agent/_temp/orchprep-report/report.md", new MockFileData("# r"));
        var host = CreateHost();
        host.RegisterSecrets(["_temp"]);
        host.SetOutput("reportPath", "/agent/_temp/orchprep-report/report.json");
        host.PublishSummary("/agent/_temp/orchprep-report/report.md", "# r");
        host.PublishTestResults("/agent/_temp/orchprep-report/junit.xml");
        host.Annotate(Check(CheckStatus.Unmet, "cannot read /x/_temp"));

        Assert.Equal(
            [
                "##vso[task.setsecret]_temp",
                "##vso[task.setvariable variable=reportPath;isOutput=true;issecret=false]/agent/_temp/orchprep-report/report.json",
                "##vso[task.uploadsummary]/agent/_temp/orchprep-report/report.md",
                "##vso[results.publish type=JUnit;runTitle=orchprep;]/agent/_temp/orchprep-report/junit.xml",
                "##vso[task.logissue type=error;code=runbooks.no-running-jobs;]orch-ms01: runbooks.no-running-jobs: cannot read /x/***",
            ],
            Lines());
    }
}
