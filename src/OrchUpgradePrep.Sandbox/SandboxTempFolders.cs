using System.Diagnostics;
using System.Globalization;

namespace OrchUpgradePrep.Sandbox;

/// <summary>
/// The temp folders of `--sandbox` runs: named after the process that owns them, so a run killed before it could clean
/// up (kill -9, a crashed runner) leaves a folder the next sandbox run recognises as orphaned and removes.
/// </summary>
internal static class SandboxTempFolders
{
    private const string Prefix = "orchprep-sandbox-";

    public static string Create(string tempRoot)
    {
        var folder = Path.Combine(tempRoot, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Removes the folders whose owning process is gone; returns them. Best effort: a folder in use or not ours stays.</summary>
    public static IReadOnlyList<string> RemoveOrphans(string tempRoot)
    {
        var removed = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(tempRoot, Prefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        foreach (var folder in candidates)
        {
            var rest = Path.GetFileName(folder)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            // Only names this class gave (pid-guid); folders of older versions or of others are left alone.
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId || IsRunning(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
                removed.Add(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run may be deleting it at the same moment, or it is not ours to delete.
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
