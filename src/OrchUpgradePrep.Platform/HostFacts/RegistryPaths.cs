namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>Key paths as the registry port takes them: relative to HKLM, whatever form a caller wrote.</summary>
internal static class RegistryPaths
{
    /// <summary><c>HKEY_LOCAL_MACHINE\X</c>, <c>HKLM\X</c>, <c>\X\</c> → <c>X</c>.</summary>
    public static string RelativeToLocalMachine(string keyPath)
    {
        var path = keyPath.Trim().Trim('\\');
        foreach (var prefix in (ReadOnlySpan<string>)[@"HKEY_LOCAL_MACHINE\", @"HKLM\"])
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return path[prefix.Length..];
            }
        }

        return path;
    }
}
