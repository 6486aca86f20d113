using System.IO.Abstractions;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Service master key backups beside the database backups: <c>&lt;server&gt;_&lt;yyyyMMddHHmmss&gt;_orchprep.smk</c>.</summary>
public static class ServiceMasterKeyFiles
{
    public const string Extension = ".smk";

    public static string For(string server, DateTimeOffset takenAt) =>
        $"{BackupFileNames.ServerPart(server)}_{BackupFileNames.Stamp(takenAt)}{BackupFileNames.Suffix}{Extension}";

    public static bool IsOrchPrepKeyFile(string fileName) =>
        fileName.EndsWith(BackupFileNames.Suffix + Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>Shorter than this cannot hold an encrypted key: every service master key is at least 128 bits, and
    /// encrypting it does not make it shorter. Real files are longer; the format is undocumented, so this is only the
    /// bound we can prove.</summary>
    public const int MinimumKeyFileBytes = 16;

    /// <summary>What the backup folder says about this instance's orchprep key backups (SQL Server keeps no history of
    /// them): null when this runner cannot see the folder. Shared by backup.service-master-key and backup.encryption-keys.</summary>
    public static KeyBackupFiles? Find(IFileSystem? fileSystem, string directory, string server)
    {
        if (fileSystem is null || !fileSystem.Directory.Exists(directory))
        {
            return null;
        }

        var prefix = BackupFileNames.ServerPart(server) + "_";
        var files = fileSystem.Directory.EnumerateFiles(directory)
            .Where(f => fileSystem.Path.GetFileName(f) is var name && IsOrchPrepKeyFile(name) && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(f => fileSystem.FileInfo.New(f))
            .ToList();
        return new KeyBackupFiles(
            prefix,
            files.Where(f => f.Length >= MinimumKeyFileBytes).MaxBy(f => f.LastWriteTimeUtc),
            [.. files.Where(f => f.Length < MinimumKeyFileBytes)]);
    }
}

/// <summary>The newest usable key backup (null when none) and the files too short to hold a key.</summary>
public sealed record KeyBackupFiles(string Prefix, IFileInfo? Newest, IReadOnlyList<IFileInfo> TooShort);
