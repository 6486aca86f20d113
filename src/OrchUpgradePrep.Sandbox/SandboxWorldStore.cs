using System.IO.Abstractions;

namespace OrchUpgradePrep.Sandbox;

/// <summary>
/// Where prepare and resume against the sandbox keep the simulated world between runs, beside prepare-state.json
/// (docs/outputs.md): the simulated Orchestrator's jobs and services (<c>sandbox-world-&lt;scenario&gt;.json</c>, one per
/// scenario, so a busy world never turns up in a later healthy run) and the simulated SQL Server's disk
/// (<c>sandbox-server/</c>), so the backup the report names outlives the run. check keeps none.
/// </summary>
public sealed class SandboxWorldStore
{
    /// <summary>The simulated SQL Server's kept disk, beside prepare-state.json.</summary>
    public const string ServerDiskFolder = "sandbox-server";

    private readonly IFileSystem _fileSystem;

    /// <param name="directory">The state folder (the run's output folder, or ./.orchprep/sandbox).</param>
    public SandboxWorldStore(IFileSystem fileSystem, string directory)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _fileSystem = fileSystem;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The saved world of <paramref name="scenario"/>; it may not exist yet.</summary>
    public string WorldFile(string scenario)
    {
        ArgumentException.ThrowIfNullOrEmpty(scenario);
        return Path.Combine(Directory, $"sandbox-world-{scenario.ToLowerInvariant()}.json");
    }

    /// <summary>
    /// The kept disk, created when <paramref name="create"/> (prepare); null when it cannot be (the sandbox then uses its temp
    /// folder, and the folder probe refuses the run before anything changes when the state folder is not writable). resume
    /// only continues one prepare made: it writes no backup, and must not create the folder it may find no state in.
    /// </summary>
    public string? ServerDisk(bool create)
    {
        var folder = Path.Combine(Directory, ServerDiskFolder);
        if (!create)
        {
            return _fileSystem.Directory.Exists(folder) ? folder : null;
        }

        try
        {
            _fileSystem.Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Saves the session's simulated Orchestrator for the next run to continue. Not cancellable: a cancelled
    /// prepare's world (what it stopped) is exactly what resume must find.</summary>
    public Task SaveAsync(SandboxSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.SaveWorldAsync(WorldFile(session.Scenario), CancellationToken.None);
    }
}
