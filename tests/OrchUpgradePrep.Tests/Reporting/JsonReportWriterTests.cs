using System.Text.Json;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class JsonReportWriterTests
{
    private static string Render(Report report)
    {
        using var writer = new StringWriter();
        new JsonReportWriter().Write(report, writer);
        return writer.ToString();
    }

    private static JsonElement Schema() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "report-schema.json"))).RootElement;

    [Fact]
    public void SampleReport_MatchesGoldenFile() =>
        Golden.AssertMatches("report.json", Render(SampleReport.Create()));

    [Fact]
    public void SampleReport_ConformsToPublishedSchema()
    {
        using var document = JsonDocument.Parse(Render(SampleReport.Create()));

        Assert.Empty(ReportSchemaValidator.Validate(Schema(), document.RootElement));
    }

    [Fact]
    public void ReportWithBackupAndActions_ConformsToPublishedSchema()
    {
        var report = SampleReport.Create() with
        {
            Mode = RunMode.Prepare,
            Actions = [new ActionRecord(ActionKind.Backup, "Orchestrator", ActionOutcome.Done, "1 file")],
            Backup = new BackupSummary
            {
                Files = [new BackupFile(@"\\backup01\orch\o.bak", 1024, "ab12")],
                CopyOnly = true,
                Checksum = true,
                Verified = VerifiedLevel.Verifyonly,
                FirstLsn = "1",
            },
        };
        using var document = JsonDocument.Parse(Render(report));

        Assert.Empty(ReportSchemaValidator.Validate(Schema(), document.RootElement));
        Assert.Equal("verifyonly", document.RootElement.GetProperty("backup").GetProperty("verified").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("backup").GetProperty("lastLsn").ValueKind);
    }

    [Fact]
    public void A_restore_on_another_server_adds_restoredOn_and_still_conforms_and_without_one_the_key_is_absent()
    {
        var backup = new BackupSummary { Files = [new BackupFile(@"\\backup01\orch\o.bak", 1024, "ab12")], CopyOnly = true, Checksum = true, Verified = VerifiedLevel.Restore };
        var elsewhere = SampleReport.Create() with { Mode = RunMode.Prepare, Backup = backup with { RestoredOn = @"sql02\ORCH" } };
        var here = SampleReport.Create() with { Mode = RunMode.Prepare, Backup = backup };

        using var withServer = JsonDocument.Parse(Render(elsewhere));
        using var without = JsonDocument.Parse(Render(here));

        Assert.Empty(ReportSchemaValidator.Validate(Schema(), withServer.RootElement));
        Assert.Equal(@"sql02\ORCH", withServer.RootElement.GetProperty("backup").GetProperty("restoredOn").GetString());
        Assert.Equal("restore", withServer.RootElement.GetProperty("backup").GetProperty("verified").GetString());
        Assert.False(without.RootElement.GetProperty("backup").TryGetProperty("restoredOn", out _));
    }

    [Fact]
    public void SchemaValidator_RejectsMissingOutcomeAndUnknownStatus()
    {
        // Proves the schema test can fail: the validator is not a rubber stamp.
        var json = Render(SampleReport.Create())
            .Replace("\"outcome\": \"unmet\",", string.Empty, StringComparison.Ordinal)
            .Replace("\"status\": \"warning\"", "\"status\": \"warn\"", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);

        var errors = ReportSchemaValidator.Validate(Schema(), document.RootElement);

        Assert.Contains(errors, e => e.Contains("'outcome' is missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.checks[2].status", StringComparison.Ordinal));
    }

    [Fact]
    public void Enums_AreWrittenLowerCaseAndTimestampsCarryTheirOffset()
    {
        using var document = JsonDocument.Parse(Render(SampleReport.Create()));
        var root = document.RootElement;

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("check", root.GetProperty("mode").GetString());
        Assert.Equal("unmet", root.GetProperty("outcome").GetString());
        Assert.Equal("2025-03-14T09:26:53+01:00", root.GetProperty("startedAt").GetString());
        var statuses = root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("status").GetString());
        Assert.Equal(["unmet", "met", "warning", "skipped", "error"], statuses);
        Assert.Equal("runbooks", root.GetProperty("checks")[0].GetProperty("prerequisite").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("backup").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("notes").ValueKind);
    }

    [Fact]
    public void Output_StartsWithBraceNotByteOrderMark()
    {
        var text = Render(SampleReport.Create());

        Assert.StartsWith("{\n  \"schemaVersion\": 1,", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }
}
