namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Service master key backups beside the database backups: <c>&lt;server&gt;_&lt;yyyyMMddHHmmss&gt;_orchprep.smk</c>.</summary>
public static class ServiceMasterKeyFiles
{
    public const string Extension = ".smk";

    public static string For(string server, DateTimeOffset takenAt) =>
        $"{BackupFileNames.ServerPart(server)}_{BackupFileNames.Stamp(takenAt)}{BackupFileNames.Suffix}{Extension}";

    public static bool IsOrchPrepKeyFile(string fileName) =>
        fileName.EndsWith(BackupFileNames.Suffix + Extension, StringComparison.OrdinalIgnoreCase);
}
