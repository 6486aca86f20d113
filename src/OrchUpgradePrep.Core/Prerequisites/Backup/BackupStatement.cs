using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// The one BACKUP statement orchprep sends (docs/facts/sql-backup.md#statement): always COPY_ONLY (the customer's backup chain
/// stays intact), CHECKSUM, INIT and FORMAT on a new media set, STATS for progress; COMPRESSION only where the
/// edition has it; one DISK per stripe.
/// </summary>
public sealed record BackupStatement
{
    public required string Database { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public bool Compress { get; init; }
    public int StatsPercent { get; init; } = 5;
    public required string Description { get; init; }
    public required string Name { get; init; }

    public string ToSql()
    {
        if (Files.Count is 0 or > 64)
        {
            throw new InvalidOperationException($"a backup needs 1 to 64 files, not {Files.Count}");
        }

        if (StatsPercent is < 1 or > 100)
        {
            throw new InvalidOperationException("STATS must be between 1 and 100");
        }

        var sql = new StringBuilder("BACKUP DATABASE ").Append(TSql.Identifier(Database)).Append(" TO ");
        sql.AppendJoin(", ", Files.Select(f => "DISK = " + TSql.String(f)));
        sql.Append(" WITH COPY_ONLY, CHECKSUM, INIT, FORMAT, ");
        sql.Append(Compress ? "COMPRESSION, " : "NO_COMPRESSION, ");
        sql.Append(CultureInfo.InvariantCulture, $"STATS = {StatsPercent}, ");
        sql.Append("DESCRIPTION = ").Append(TSql.String(Truncate(Description, 255))).Append(", ");
        sql.Append("NAME = ").Append(TSql.String(Truncate(Name, 128)));
        return sql.ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
