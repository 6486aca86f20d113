using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class BackupHeaderValidatorTests
{
    private static SqlRow Header(params (string Column, object? Value)[] overrides)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            // A subset of the real columns, in a different order than SQL Server's: only names count.
            ["BackupName"] = "Orchestrator full (orchprep)",
            ["IsDamaged"] = false,
            ["DatabaseName"] = "Orchestrator",
            ["BackupType"] = (byte)1,
            ["Position"] = (short)1,
            ["IsCopyOnly"] = true,
            ["HasBackupChecksums"] = true,
            ["FirstLSN"] = 41000000012300001m,
            ["LastLSN"] = 41000000012500001m,
            ["CheckpointLSN"] = 41000000012300001m,
            ["DatabaseBackupLSN"] = 40000000000100001m,
            ["BackupSize"] = 123456789m,
            ["CompressedBackupSize"] = 23456789L,
            ["BackupFinishDate"] = new DateTime(2026, 11, 25, 6, 0, 0),
            ["KeyAlgorithm"] = null,
        };
        foreach (var (column, value) in overrides)
        {
            values[column] = value;
        }

        return new SqlRow(values);
    }

    [Fact]
    public void A_copy_only_full_backup_with_checksums_is_valid_and_its_lsns_are_kept()
    {
        var verdict = BackupHeaderValidator.Validate([Header()], "Orchestrator");
        Assert.True(verdict.IsValid, string.Join("; ", verdict.Problems));
        Assert.Equal(("41000000012300001", "41000000012500001", 123456789L, 23456789L), (verdict.Header!.FirstLsn, verdict.Header.LastLsn, verdict.Header.BackupSize, verdict.Header.CompressedBackupSize));
    }

    [Theory]
    [InlineData("DatabaseName", "master", "DatabaseName is master")]
    [InlineData("BackupType", (byte)5, "expected a full database backup")]
    [InlineData("IsCopyOnly", false, "expected copy-only")]
    [InlineData("HasBackupChecksums", false, "expected with checksums")]
    [InlineData("IsDamaged", true, "expected not damaged")]
    public void Every_mismatch_is_named(string column, object value, string problem)
    {
        var verdict = BackupHeaderValidator.Validate([Header((column, value))], "Orchestrator");
        Assert.False(verdict.IsValid);
        Assert.Null(verdict.Header);
        Assert.Contains(verdict.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_backup_sets_or_a_missing_column_are_problems_too()
    {
        Assert.False(BackupHeaderValidator.Validate([Header(), Header(("Position", (short)2))], "Orchestrator").IsValid);
        var row = new SqlRow(new Dictionary<string, object?> { ["DatabaseName"] = "Orchestrator" });
        Assert.Contains("HEADERONLY has no HasBackupChecksums column", BackupHeaderValidator.Validate([row], "Orchestrator").Problems);
    }
}
