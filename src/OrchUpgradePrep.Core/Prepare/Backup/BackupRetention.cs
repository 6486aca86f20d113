using System.Globalization;
using System.IO.Abstractions;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prepare.Backup;

/// <summary>
/// policies.backup.keep: after a new backup is verified, keeps the newest N orchprep backup sets of this server and
/// database in the folder and deletes older ones (all stripes and their .sha256/.orchprep.json). Only files with
/// orchprep's own names are ever touched; keep: 0 keeps everything.
/// </summary>
internal sealed partial class BackupRetention(IFileSystem fileSystem)
{
    public void Apply(string directory, string server, string database, int keep, List<ActionRecord> actions)
    {
        if (keep <= 0)
        {
            return;
        }

        try
        {
            if (!fileSystem.Directory.Exists(directory))
            {
                actions.Add(new ActionRecord("backup", directory, "skipped", "retention: the backup folder is not reachable from this runner; older orchprep backups were left"));
                return;
            }

            var prefix = BackupFileNames.Prefix(server, database);
            var sets = fileSystem.Directory.EnumerateFiles(directory)
                .Select(path => (Path: path, Name: fileSystem.Path.GetFileName(path)))
                .Where(f => f.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && BackupFileNames.IsOrchPrepBackup(f.Name))
                .Select(f => (f.Path, Stamp: StampPattern().Match(f.Name[prefix.Length..])))
                .Where(f => f.Stamp.Success)
                .GroupBy(f => f.Stamp.Groups[1].Value, StringComparer.Ordinal)
                .OrderByDescending(g => g.Key, StringComparer.Ordinal)
                .ToList();
            var removed = new List<string>();
            foreach (var old in sets.Skip(keep))
            {
                foreach (var (path, _) in old)
                {
                    foreach (var file in new[] { path, path + ".sha256", BackupManifest.PathFor(path) })
                    {
                        if (fileSystem.File.Exists(file))
                        {
                            fileSystem.File.Delete(file);
                            removed.Add(fileSystem.Path.GetFileName(file));
                        }
                    }
                }
            }

            actions.Add(new ActionRecord("backup", directory, "done", removed.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"retention: {sets.Count} orchprep backup set(s), keep {keep}: nothing removed")
                : string.Create(CultureInfo.InvariantCulture, $"retention: kept the newest {keep} of {sets.Count} orchprep backup sets, removed {string.Join(", ", removed)}")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            actions.Add(new ActionRecord("backup", directory, "failed", "retention: " + ex.Message));
        }
    }

    [GeneratedRegex(@"^(\d{14})_orchprep(?:_\d+of\d+)?\.bak$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StampPattern();
}
