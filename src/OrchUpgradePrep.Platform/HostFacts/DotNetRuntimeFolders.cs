using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>How `dotnet\shared\&lt;framework&gt;\&lt;version&gt;` folders become runtimes, wherever they were listed (locally or over CIM).</summary>
internal static class DotNetRuntimeFolders
{
    /// <summary>The host ignores folders that are not versions (leftovers, ".tmp"); so do we.</summary>
    public static bool IsVersionFolder(string name) => name.Length > 0 && char.IsAsciiDigit(name[0]);

    /// <summary>By name, then by version as numbers (10.0.1 after 9.0.9).</summary>
    public static List<DotNetRuntime> Sorted(IEnumerable<DotNetRuntime> runtimes) =>
        runtimes.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Version, Windows.RuntimeVersionComparer.Instance).ToList();
}
