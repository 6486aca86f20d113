namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Quoting for the few names and strings orchprep puts into T-SQL it cannot parameterise (BACKUP and
/// RESTORE take no parameters for every clause): identifiers as QUOTENAME does, strings as N'…' literals.</summary>
public static class TSql
{
    /// <summary>[name] with ] doubled; rejects what SQL Server would (over 128 chars, control characters).</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 128 || name.Any(char.IsControl))
        {
            throw new ArgumentException($"'{name}' is not a valid SQL Server identifier", nameof(name));
        }

        return "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";
    }

    /// <summary>N'text' with ' doubled; rejects NUL, which would end the string early on the server.</summary>
    public static string String(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a T-SQL string cannot hold NUL", nameof(text));
        }

        return "N'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
