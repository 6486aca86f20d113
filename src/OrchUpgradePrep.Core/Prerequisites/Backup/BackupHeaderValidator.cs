using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Judges <c>RESTORE HEADERONLY</c> output by column name (columns grow with every SQL Server version, so
/// positions are never used): exactly one backup set, of the expected database, a full (type 1) copy-only backup
/// with checksums, not damaged (docs/facts/sql-backup.md#verification, step 3). Returns the header's facts or the problems found.
/// </summary>
public static class BackupHeaderValidator
{
    public static BackupHeaderVerdict Validate(IReadOnlyList<SqlRow> rows, string expectedDatabase)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var problems = new List<string>();
        if (rows.Count != 1)
        {
            problems.Add($"the media holds {rows.Count} backup sets; orchprep writes exactly one (FORMAT, INIT)");
            return new BackupHeaderVerdict(null, problems);
        }

        var row = rows[0];
        Expect(row, "DatabaseName", expectedDatabase, problems);
        Expect(row, "BackupType", 1L, problems, "a full database backup (1)");
        Expect(row, "IsCopyOnly", 1L, problems, "copy-only");
        Expect(row, "HasBackupChecksums", 1L, problems, "with checksums");
        Expect(row, "IsDamaged", 0L, problems, "not damaged");
        Expect(row, "Position", 1L, problems, "at position 1");

        var header = problems.Count > 0 ? null : new BackupHeader(
            row.String("FirstLSN") ?? string.Empty,
            row.String("LastLSN") ?? string.Empty,
            row.String("CheckpointLSN"),
            row.String("DatabaseBackupLSN"),
            row.Int64("BackupSize") ?? 0,
            row.Columns.Contains("CompressedBackupSize", StringComparer.OrdinalIgnoreCase) ? row.Int64("CompressedBackupSize") : null,
            row["BackupFinishDate"] as DateTime?);
        return new BackupHeaderVerdict(header, problems);
    }

    private static void Expect(SqlRow row, string column, object expected, List<string> problems, string? meaning = null)
    {
        if (!row.Columns.Contains(column, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"HEADERONLY has no {column} column");
            return;
        }

        var actual = row[column];
        var matches = expected is string text
            ? string.Equals(actual?.ToString(), text, StringComparison.OrdinalIgnoreCase)
            : actual is not null && Convert.ToInt64(actual is bool b ? (b ? 1 : 0) : actual, CultureInfo.InvariantCulture) == (long)expected;
        if (!matches)
        {
            problems.Add($"{column} is {actual ?? "NULL"}, expected {meaning ?? expected.ToString()}");
        }
    }
}

/// <summary>The facts orchprep keeps from a valid header (report.json backup.firstLsn / lastLsn).</summary>
public sealed record BackupHeader(string FirstLsn, string LastLsn, string? CheckpointLsn, string? DatabaseBackupLsn, long BackupSize, long? CompressedBackupSize, DateTime? FinishedAt);

public sealed record BackupHeaderVerdict(BackupHeader? Header, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
