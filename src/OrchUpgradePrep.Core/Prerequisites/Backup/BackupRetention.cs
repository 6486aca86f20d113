using System.Globalization;
using System.IO.Abstractions;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// policies.backup.keep: after a new backup is verified, keeps the newest N <em>verified</em> orchprep backup sets of
/// this server and database and deletes older verified sets (all stripes and their .sha256/.orchprep.json). A set is
/// verified only when its manifest (<see cref="BackupManifest"/>) says so and every file still has the size and
/// SHA-256 the manifest recorded (docs/adr/0012). Anything else with orchprep's names — a fragment of a killed run, a
/// backup that failed verification, a set whose files changed — is an unverified leftover: never counted, reported
/// apart, deleted only with policies.backup.removeUnverified; while one is kept no verified set is deleted.
/// Only files with orchprep's own names are ever touched; keep: 0 keeps everything.
/// </summary>
internal sealed partial class BackupRetention(IFileSystem fileSystem)
{
    public async Task ApplyAsync(string directory, string server, string database, int keep, bool removeUnverified,
        List<ActionRecord> actions, CancellationToken cancellationToken)
    {
        if (keep <= 0)
        {
            return;
        }

        try
        {
            if (!fileSystem.Directory.Exists(directory))
            {
                actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Skipped, "retention: the backup folder is not reachable from this runner; older orchprep backups were left"));
                return;
            }

            var sets = FindSets(directory, server, database);
            var verified = new List<BackupSetFiles>();
            var leftovers = new List<(BackupSetFiles Set, string Why)>();
            foreach (var set in sets.OrderByDescending(s => s.Stamp, StringComparer.Ordinal))
            {
                var why = await WhyNotVerifiedAsync(set, cancellationToken).ConfigureAwait(false);
                if (why is null)
                {
                    verified.Add(set);
                }
                else
                {
                    leftovers.Add((set, why));
                }
            }

            if (leftovers.Count > 0)
            {
                var listed = string.Join("; ", leftovers.Select(l => $"{l.Set.Name} ({l.Why})"));
                if (removeUnverified)
                {
                    var gone = leftovers.SelectMany(l => Delete(l.Set)).ToList();
                    actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Removed, $"unverified leftovers: {listed}; removed {string.Join(", ", gone)} (policies.backup.removeUnverified: true)"));
                }
                else
                {
                    actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Kept, $"unverified leftovers: {listed}; not counted as backups and kept — delete them or set policies.backup.removeUnverified: true"));
                }
            }

            var old = verified.Skip(keep).ToList();
            if (old.Count > 0 && leftovers.Count > 0 && !removeUnverified)
            {
                // Never trade a verified set for an unverified one: older verified sets stay until the leftovers go.
                actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Kept, string.Create(CultureInfo.InvariantCulture,
                    $"retention: {verified.Count} verified orchprep backup set(s), keep {keep}: nothing removed while unverified leftovers remain ({string.Join(", ", old.Select(s => s.Name))} would go)")));
                return;
            }

            var removed = old.SelectMany(Delete).ToList();
            actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Done, removed.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"retention: {verified.Count} verified orchprep backup set(s), keep {keep}: nothing removed")
                : string.Create(CultureInfo.InvariantCulture, $"retention: kept the newest {keep} of {verified.Count} verified orchprep backup sets, removed {string.Join(", ", removed)}")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Failed, "retention: " + ex.Message));
        }
    }

    /// <summary>The files of one orchprep backup set (one time stamp): stripes, failed-marked stripes, .sha256 and manifest.</summary>
    internal sealed record BackupSetFiles(string Stamp, string Name, IReadOnlyList<string> Backups, IReadOnlyList<string> Failed, IReadOnlyList<string> All);

    internal List<BackupSetFiles> FindSets(string directory, string server, string database)
    {
        var prefix = BackupFileNames.Prefix(server, database);
        return fileSystem.Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, Name: fileSystem.Path.GetFileName(path)))
            .Where(f => f.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(f => (f.Path, f.Name, Match: SetFilePattern().Match(f.Name[prefix.Length..])))
            .Where(f => f.Match.Success)
            .GroupBy(f => f.Match.Groups["stamp"].Value, StringComparer.Ordinal)
            .Select(g =>
            {
                var backups = g.Where(f => !f.Match.Groups["failed"].Success && !f.Match.Groups["extra"].Success).Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
                var failed = g.Where(f => f.Match.Groups["failed"].Success && !f.Match.Groups["extra"].Success).Select(f => f.Path).ToList();
                var name = $"{prefix}{g.Key}{BackupFileNames.Suffix}";
                return new BackupSetFiles(g.Key, name, backups, failed, g.Select(f => f.Path).ToList());
            })
            .ToList();
    }

    /// <summary>Null when the set is verified; otherwise why not, in words for the report.</summary>
    internal async Task<string?> WhyNotVerifiedAsync(BackupSetFiles set, CancellationToken cancellationToken)
    {
        if (set.Failed.Count > 0)
        {
            return "failed verification";
        }

        if (set.Backups.Count == 0)
        {
            return "no backup file, only its side files";
        }

        // The manifest sits beside the first file: the single .bak, or stripe 1.
        var first = set.Backups.FirstOrDefault(p => FirstFilePattern().IsMatch(fileSystem.Path.GetFileName(p)));
        var manifestPath = first is null ? null : BackupManifest.PathFor(first);
        if (manifestPath is null || !fileSystem.File.Exists(manifestPath))
        {
            return "no manifest: interrupted or never verified";
        }

        ManifestFacts? facts;
        try
        {
            facts = ManifestFacts.Read(fileSystem.File.ReadAllText(manifestPath));
        }
        catch (JsonException)
        {
            facts = null;
        }

        if (facts is null)
        {
            return "manifest unreadable";
        }

        if (!WireNames.TryParse<VerifiedLevel>(facts.Verified, out var level) || level == VerifiedLevel.None)
        {
            return $"manifest says verified: {facts.Verified}";
        }

        var present = set.Backups.ToDictionary(p => fileSystem.Path.GetFileName(p), StringComparer.OrdinalIgnoreCase);
        var recorded = facts.Files.Select(f => ServerPath.FileNameOf(f.Path)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (facts.Files.Count == 0 || !recorded.SetEquals(present.Keys))
        {
            return $"files differ from the manifest ({string.Join(", ", recorded)})";
        }

        var hasher = new FileHasher(fileSystem);
        foreach (var file in facts.Files)
        {
            var path = present[ServerPath.FileNameOf(file.Path)];
            var length = fileSystem.FileInfo.New(path).Length;
            if (length != file.Bytes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{fileSystem.Path.GetFileName(path)} is {length} bytes, the manifest says {file.Bytes}");
            }

            if (string.IsNullOrEmpty(file.Sha256)
                || !string.Equals(await hasher.Sha256Async(path, null, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"SHA-256 of {fileSystem.Path.GetFileName(path)} differs from the manifest";
            }
        }

        return null;
    }

    private List<string> Delete(BackupSetFiles set)
    {
        var removed = new List<string>();
        foreach (var file in set.All)
        {
            if (fileSystem.File.Exists(file))
            {
                fileSystem.File.Delete(file);
                removed.Add(fileSystem.Path.GetFileName(file));
            }
        }

        return removed;
    }

    /// <summary>The part of a manifest retention relies on.</summary>
    private sealed record ManifestFacts(string Verified, IReadOnlyList<(string Path, long Bytes, string Sha256)> Files)
    {
        public static ManifestFacts? Read(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("tool", out var tool) || tool.ValueKind != JsonValueKind.String || tool.GetString() != "orchprep"
                || !root.TryGetProperty("backup", out var backup) || backup.ValueKind != JsonValueKind.Object
                || !backup.TryGetProperty("verified", out var verified) || verified.ValueKind != JsonValueKind.String
                || !backup.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<(string, long, string)>();
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.Object
                    || !file.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String
                    || !file.TryGetProperty("bytes", out var bytes) || !bytes.TryGetInt64(out var length)
                    || !file.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                list.Add((path.GetString()!, length, sha.GetString()!));
            }

            return new ManifestFacts(verified.GetString()!, list);
        }
    }

    // <stamp>_orchprep[_NofM].bak[.failed][.sha256|.orchprep.json] after the server/database prefix.
    [GeneratedRegex(@"^(?<stamp>\d{14})_orchprep(?:_\d+of\d+)?\.bak(?<failed>\.failed)?(?<extra>\.sha256|\.orchprep\.json)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SetFilePattern();

    [GeneratedRegex(@"_orchprep(?:_1of\d+)?\.bak$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstFilePattern();
}
