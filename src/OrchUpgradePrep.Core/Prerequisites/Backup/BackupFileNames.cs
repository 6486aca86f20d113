using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Unique, sortable backup file names: <c>&lt;server&gt;_&lt;db&gt;_&lt;yyyyMMddHHmmss&gt;_orchprep.bak</c>
/// (stripes add <c>_1of3</c>). The server part follows Ola Hallengren's habit (<c>SERVER$INSTANCE</c>); anything
/// a file name cannot hold becomes '_'.</summary>
public static class BackupFileNames
{
    public const string Suffix = "_orchprep";
    public const string Extension = ".bak";

    /// <summary>Appended to each file of a backup that failed verification, so nothing takes it for a backup.</summary>
    public const string FailedExtension = ".failed";

    public static IReadOnlyList<string> For(string server, string database, DateTimeOffset takenAt, int stripes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stripes, 64);
        var stem = $"{Prefix(server, database)}{Stamp(takenAt)}{Suffix}";
        return stripes == 1
            ? [stem + Extension]
            : Enumerable.Range(1, stripes).Select(i => $"{stem}_{i}of{stripes}{Extension}").ToArray();
    }

    /// <summary>"&lt;server&gt;_&lt;db&gt;_": what every backup of this database by this server starts with (retention groups by it).</summary>
    public static string Prefix(string server, string database) => $"{ServerPart(server)}_{Safe(database)}_";

    /// <summary>SERVER\INSTANCE as a file name part: SERVER$INSTANCE, anything else unsafe → '_'.</summary>
    public static string ServerPart(string server) => Safe(server.Replace('\\', '$'));

    /// <summary>The UTC time stamp in every name orchprep gives (files, backup set NAME, test-restore copy): sortable as text.</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>True for a name this class made (the retention option deletes only those).</summary>
    public static bool IsOrchPrepBackup(string fileName) =>
        fileName.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)
        && fileName.Contains(Suffix, StringComparison.Ordinal);

    private static string Safe(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '$' ? c : '_');
        }

        return safe.ToString();
    }
}
