using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>
/// HKLM as one or more <c>reg export</c> files show it. A key listed in a file is present; a key under an
/// exported root that no file lists was absent when exported; anything outside every exported subtree is
/// <see cref="RegistryKeyPresence.Unknown"/> — never "absent", or a missing export would read as "no restart pending".
/// </summary>
public sealed class SnapshotRegistry : IRegistry
{
    private const string LocalMachine = "HKEY_LOCAL_MACHINE";

    private readonly Dictionary<string, (RegExportKey Key, string File)> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SortedSet<string>> _children = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Root, string File)> _roots = [];

    private readonly List<(string Key, string Source)> _absent = [];

    /// <param name="absentKeys">Keys recorded as absent when the snapshot was taken (host.json absentRegistryKeys), with where that was recorded.</param>
    public SnapshotRegistry(IEnumerable<RegExportFile> files, IEnumerable<string>? absentKeys = null, string absentSource = "host.json")
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            Add(file);
        }

        foreach (var key in absentKeys ?? [])
        {
            _absent.Add((RegistryPaths.RelativeToLocalMachine(key), absentSource));
        }
    }

    /// <summary>The HKLM subtrees the files cover, relative to HKLM ("" = all of HKLM).</summary>
    public IReadOnlyList<string> ExportedRoots => _roots.Select(r => r.Root).ToArray();

    public ValueTask<RegistryKeyRead> ReadKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        cancellationToken.ThrowIfCancellationRequested();
        var path = RegistryPaths.RelativeToLocalMachine(keyPath);
        if (_keys.TryGetValue(path, out var found))
        {
            return ValueTask.FromResult(new RegistryKeyRead
            {
                Path = path,
                Presence = RegistryKeyPresence.Present,
                Values = found.Key.Values.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase),
                SubKeyNames = _children.TryGetValue(path, out var children) ? children.ToArray() : [],
                Source = $"snapshot {found.File}",
            });
        }

        var recordedAbsent = _absent.FirstOrDefault(a => Covers(a.Key, path));
        if (recordedAbsent.Source is not null)
        {
            return ValueTask.FromResult(new RegistryKeyRead { Path = path, Presence = RegistryKeyPresence.Absent, Source = $"snapshot {recordedAbsent.Source} (absentRegistryKeys lists HKLM\\{recordedAbsent.Key})" });
        }

        var covering = _roots.FirstOrDefault(r => Covers(r.Root, path));
        return ValueTask.FromResult(covering.File is not null
            ? new RegistryKeyRead { Path = path, Presence = RegistryKeyPresence.Absent, Source = $"snapshot {covering.File} (exports HKLM\\{covering.Root}; key not in it)" }
            : new RegistryKeyRead
            {
                Path = path,
                Presence = RegistryKeyPresence.Unknown,
                Source = _roots.Count == 0
                    ? "snapshot has no HKLM export"
                    : "snapshot does not export this key (exported: " + string.Join(", ", _roots.Select(r => $"HKLM\\{r.Root}")) + ")",
            });
    }

    private void Add(RegExportFile file)
    {
        var first = true;
        foreach (var key in file.Keys)
        {
            if (!TryRelative(key.Path, out var relative))
            {
                first = false;
                continue;
            }

            if (first)
            {
                // reg export writes the exported key first; everything it covers is below it.
                _roots.Add((relative, file.FileName));
                first = false;
            }

            if (_keys.TryGetValue(relative, out var existing))
            {
                // The same key in two exports: merge, later file wins per value.
                var merged = existing.Key.Values.Where(v => !key.Values.Any(n => string.Equals(n.Name, v.Name, StringComparison.OrdinalIgnoreCase)))
                    .Concat(key.Values).ToArray();
                _keys[relative] = (existing.Key with { Values = merged }, existing.File);
            }
            else
            {
                _keys[relative] = (key, file.FileName);
            }

            var slash = relative.LastIndexOf('\\');
            if (relative.Length > 0)
            {
                var parent = slash < 0 ? string.Empty : relative[..slash];
                if (!_children.TryGetValue(parent, out var siblings))
                {
                    siblings = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                    _children[parent] = siblings;
                }

                siblings.Add(relative[(slash + 1)..]);
            }
        }
    }

    private static bool TryRelative(string fullPath, out string relative)
    {
        if (string.Equals(fullPath, LocalMachine, StringComparison.OrdinalIgnoreCase))
        {
            relative = string.Empty;
            return true;
        }

        if (fullPath.StartsWith(LocalMachine + "\\", StringComparison.OrdinalIgnoreCase))
        {
            relative = fullPath[(LocalMachine.Length + 1)..].TrimEnd('\\');
            return true;
        }

        relative = string.Empty;
        return false;
    }

    private static bool Covers(string root, string path) =>
        root.Length == 0
        || string.Equals(root, path, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(root + "\\", StringComparison.OrdinalIgnoreCase);
}
