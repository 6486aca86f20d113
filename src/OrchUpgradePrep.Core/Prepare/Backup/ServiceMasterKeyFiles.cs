using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Prepare.Backup;

/// <summary>Service master key backups beside the database backups: <c>&lt;server&gt;_&lt;yyyyMMddHHmmss&gt;_orchprep.smk</c>.</summary>
public static class ServiceMasterKeyFiles
{
    public const string Extension = ".smk";

    public static string For(string server, DateTimeOffset takenAt)
    {
        var safe = new StringBuilder();
        foreach (var c in server.Replace('\\', '$'))
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '$' ? c : '_');
        }

        return $"{safe}_{takenAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}{BackupFileNames.Suffix}{Extension}";
    }

    public static bool IsOrchPrepKeyFile(string fileName) =>
        fileName.EndsWith(BackupFileNames.Suffix + Extension, StringComparison.OrdinalIgnoreCase);
}
