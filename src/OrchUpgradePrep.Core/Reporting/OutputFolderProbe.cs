using System.IO.Abstractions;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Proves, before a run changes anything, that a folder orchprep must write (--output, the state folder) takes files:
/// it exists or can be made, a probe file can be written and removed, and no folder stands where one of the run's files
/// must go. A prepare that drained and backed up must never find out at the end that its report has nowhere to go.
/// </summary>
public static class OutputFolderProbe
{
    /// <summary>Null when the folder takes files; otherwise what is wrong, naming the folder and the system's own words.</summary>
    /// <param name="fileNames">The files the run will write there (report.json, prepare-state.json …).</param>
    public static string? Problem(IFileSystem fileSystem, string directory, IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(fileNames);
        try
        {
            if (fileSystem.File.Exists(directory))
            {
                return $"the output folder {directory} cannot be used: a file of that name is in the way.";
            }

            fileSystem.Directory.CreateDirectory(directory);
            foreach (var name in fileNames)
            {
                var path = fileSystem.Path.Combine(directory, name);
                if (fileSystem.Directory.Exists(path))
                {
                    return $"the output folder {directory} cannot be used: {path} is a folder, where orchprep writes a file.";
                }
            }

            var probe = fileSystem.Path.Combine(directory, $".orchprep-probe-{Guid.NewGuid():N}");
            fileSystem.File.WriteAllText(probe, "orchprep write probe\n");
            fileSystem.File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"the output folder {directory} cannot be written: {ex.Message.TrimEnd('.')}.";
        }
    }
}
