using System.Runtime.Versioning;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.Windows;

/// <summary>Lists installed .NET runtimes the way <c>dotnet --list-runtimes</c> does (shared\&lt;Name&gt;\&lt;Version&gt;),
/// without starting a process that could hang or be missing from PATH.</summary>
[SupportedOSPlatform("windows")]
internal sealed class DotNetRuntimeScanner
{
    private readonly string _dotnetRoot;

    public DotNetRuntimeScanner(string dotnetRoot)
    {
        _dotnetRoot = dotnetRoot;
    }

    /// <summary>The machine-wide x64/arm64 install: %ProgramFiles%\dotnet, even from a 32-bit process.</summary>
    public static string DefaultDotNetRoot()
    {
        var programFiles = Environment.GetEnvironmentVariable("ProgramW6432");
        if (string.IsNullOrEmpty(programFiles))
        {
            programFiles = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles);
        }

        return Path.Combine(programFiles, "dotnet");
    }

    public IReadOnlyList<DotNetRuntime> Scan(CancellationToken cancellationToken)
    {
        var shared = Path.Combine(_dotnetRoot, "shared");
        try
        {
            // No shared folder means no runtime installed: a fact, not an error.
            if (!Directory.Exists(shared))
            {
                return [];
            }

            var runtimes = new List<DotNetRuntime>();
            foreach (var frameworkDir in Directory.EnumerateDirectories(shared))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetFileName(frameworkDir);
                foreach (var versionDir in Directory.EnumerateDirectories(frameworkDir))
                {
                    var version = Path.GetFileName(versionDir);

                    if (DotNetRuntimeFolders.IsVersionFolder(version))
                    {
                        runtimes.Add(new DotNetRuntime(name, version));
                    }
                }
            }

            return DotNetRuntimeFolders.Sorted(runtimes);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HostFactsException($"cannot list .NET runtimes under {shared}: access denied", ex);
        }
        catch (IOException ex)
        {
            throw new HostFactsException($"cannot list .NET runtimes under {shared}: {ex.Message}", ex);
        }
    }
}
