using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

public sealed class ReportRedactorTests
{
    [Fact]
    public void ProducedFields_AreNotMasked_FreeTextIs()
    {
        var masker = new SecretMasker();
        masker.Add("orch");
        masker.Add("bk7");
        var report = SampleReport.Create() with
        {
            Backup = new BackupSummary { Files = [new BackupFile("/backups/bk7/orch.bak", 42, "ab12")] },
            Notes = ["orch and bk7 in a note"],
        };

        var redacted = ReportRedactor.Redact(report, masker);

        Assert.Equal("orchprep", redacted.Tool.Name);
        Assert.Equal("/backups/bk7/orch.bak", redacted.Backup!.Files[0].Path);
        Assert.Equal("*** and *** in a note", redacted.Notes[0]);
    }

    [Fact]
    public void ReportFiles_KeepTheirOwnPathsAndTheToolsName_WhenASecretIsPartOfThem()
    {
        var fs = new MockFileSystem();
        var masker = new SecretMasker();
        masker.Add("prep");

        var paths = new ReportFileWriter(fs, masker).WriteAll(SampleReport.Create(), "/work/prep-out");

        Assert.All(paths, p => Assert.StartsWith("/work/prep-out/", p.Replace('\\', '/'), StringComparison.Ordinal));
        Assert.Contains("\"name\": \"orchprep\"", fs.File.ReadAllText(paths[0]), StringComparison.Ordinal);
        Assert.Equal($"see {paths[0]}, not ***", masker.Mask($"see {paths[0]}, not prep"));
    }
}
