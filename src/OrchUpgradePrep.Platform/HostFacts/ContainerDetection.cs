using System.IO.Abstractions;
using System.Runtime.Versioning;

namespace OrchUpgradePrep.Platform.HostFacts;

/// <summary>
/// Tells whether orchprep runs in a container, from what container engines and images leave behind (docs/containers.md
/// lists each sign and its source): .NET's images set DOTNET_RUNNING_IN_CONTAINER=true; Docker creates /.dockerenv and
/// podman /run/.containerenv in Linux containers; Windows containers carry the ContainerType value under
/// HKLM\SYSTEM\CurrentControlSet\Control (UNCONFIRMED name: read when present, never required).
/// </summary>
public static class ContainerDetection
{
    public const string DotNetVariable = "DOTNET_RUNNING_IN_CONTAINER";

    /// <summary>The first sign found, in words, or null when none is.</summary>
    /// <param name="readWindowsContainerType">Reads the ContainerType value (null when absent); null off Windows.</param>
    public static string? Detect(Func<string, string?> getEnvironmentVariable, IFileSystem fileSystem, Func<object?>? readWindowsContainerType)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (string.Equals(getEnvironmentVariable(DotNetVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return $"{DotNetVariable}=true";
        }

        foreach (var marker in new[] { "/.dockerenv", "/run/.containerenv" })
        {
            if (fileSystem.File.Exists(marker))
            {
                return $"{marker} exists";
            }
        }

        try
        {
            return readWindowsContainerType?.Invoke() is { } type ? $"HKLM\\SYSTEM\\CurrentControlSet\\Control ContainerType = {type}" : null;
        }
        catch (Exception ex) when (ex is System.Security.SecurityException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    /// <summary>The ContainerType value of this Windows machine, or null.</summary>
    [SupportedOSPlatform("windows")]
    public static object? ReadWindowsContainerType()
    {
        using var control = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(@"SYSTEM\CurrentControlSet\Control");
        return control?.GetValue("ContainerType");
    }
}
