namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Paths as SQL Server sees them. They belong to the server's OS (D:\Backup, \\backup01\orch, or /var/opt/mssql on
/// Linux), not to the runner's, so they are joined with the directory's own separator, never Path.Combine.
/// </summary>
public static class ServerPath
{
    public static string Join(string directory, string fileName)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var separator = directory.Contains('\\', StringComparison.Ordinal) || (directory.Length >= 2 && directory[1] == ':') ? '\\' : '/';
        return directory.TrimEnd('\\', '/') + separator + fileName;
    }

    public static string DirectoryOf(string path)
    {
        var cut = path.LastIndexOfAny(['\\', '/']);
        return cut <= 0 ? path : path[..cut];
    }

    public static string FileNameOf(string path) => path[(path.LastIndexOfAny(['\\', '/']) + 1)..];

    /// <summary>Forward slashes and a trailing separator, for prefix comparison.</summary>
    public static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/') + "/";
}
