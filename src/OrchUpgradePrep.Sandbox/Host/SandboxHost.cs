using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>
/// One simulated host as an admin would snapshot it: several <c>reg export</c> subtrees plus host.json facts.
/// The sandbox writes it to disk in the real formats so the real snapshot reader is what the checks use.
/// </summary>
internal sealed class SandboxHost
{
    private readonly List<SandboxRegistryExport> _exports = [];

    public SandboxHost(string name, params HostRole[] roles)
    {
        Name = name;
        Roles = roles;
    }

    public string Name { get; }

    public IReadOnlyList<HostRole> Roles { get; }

    public IReadOnlyList<SandboxRegistryExport> Exports => _exports;

    public SandboxHostFacts Facts { get; set; } = new();

    /// <summary>Keys the export script found absent (host.json absentRegistryKeys).</summary>
    public IReadOnlyList<string> AbsentKeys => _absent;

    private readonly List<string> _absent = [];

    /// <summary>Records that <paramref name="path"/> does not exist on this host, as the export script does.</summary>
    public SandboxHost Absent(string path)
    {
        if (!_absent.Contains(path, StringComparer.OrdinalIgnoreCase))
        {
            _absent.Add(path);
        }

        return this;
    }

    /// <summary>Adds (or extends) the export of <paramref name="root"/> with one key and its values.</summary>
    public SandboxHost Key(string root, string relativePath, params RegistryValue[] values)
    {
        _absent.RemoveAll(a => string.Equals(a, root, StringComparison.OrdinalIgnoreCase));
        var export = _exports.FirstOrDefault(e => string.Equals(e.Root, root, StringComparison.OrdinalIgnoreCase));
        if (export is null)
        {
            export = new SandboxRegistryExport(root);
            _exports.Add(export);
        }

        export.Add(relativePath.Length == 0 ? root : $@"{root}\{relativePath}", values);
        return this;
    }

    /// <summary>Declares a subtree as exported even when it holds only its root key.</summary>
    public SandboxHost Export(string root) => Key(root, string.Empty);

    public SandboxHost Without(string root)
    {
        _exports.RemoveAll(e => string.Equals(e.Root, root, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    public static RegistryValue Sz(string name, string value) => new(name, RegistryValueType.String, value);

    public static RegistryValue ExpandSz(string name, string value) => new(name, RegistryValueType.ExpandString, value);

    public static RegistryValue Dword(string name, uint value) => new(name, RegistryValueType.DWord, value);

    public static RegistryValue MultiSz(string name, params string[] value) => new(name, RegistryValueType.MultiString, value);
}

/// <summary>One <c>reg export</c> run: the subtree root and its keys in export order.</summary>
internal sealed class SandboxRegistryExport
{
    private readonly List<(string Path, List<RegistryValue> Values)> _keys = [];

    public SandboxRegistryExport(string root) => Root = root;

    public string Root { get; }

    public IReadOnlyList<(string Path, List<RegistryValue> Values)> Keys => _keys;

    public void Add(string path, IEnumerable<RegistryValue> values)
    {
        var existing = _keys.FindIndex(k => string.Equals(k.Path, path, StringComparison.OrdinalIgnoreCase));
        if (existing < 0)
        {
            // reg export lists every ancestor key between the root and this one, values or not.
            var parent = path;
            var ancestors = new Stack<string>();
            while (!string.Equals(parent, Root, StringComparison.OrdinalIgnoreCase) && parent.Contains('\\', StringComparison.Ordinal))
            {
                parent = parent[..parent.LastIndexOf('\\')];
                ancestors.Push(parent);
            }

            foreach (var ancestor in ancestors)
            {
                if (!_keys.Exists(k => string.Equals(k.Path, ancestor, StringComparison.OrdinalIgnoreCase)))
                {
                    _keys.Add((ancestor, []));
                }
            }

            _keys.Add((path, values.ToList()));
        }
        else
        {
            // A later value of the same name replaces the earlier one, as a second write to the registry would.
            var current = _keys[existing].Values;
            foreach (var value in values)
            {
                current.RemoveAll(v => string.Equals(v.Name, value.Name, StringComparison.OrdinalIgnoreCase));
                current.Add(value);
            }
        }
    }
}
