using System.IO.Abstractions;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchUpgradePrep.Prepare.State;

/// <summary>
/// What prepare changed and resume must undo (prepare-state.json in the output folder): the services it stopped and
/// the monitor runbooks it stopped. Entries accumulate across prepare runs — a second prepare finds the service
/// already stopped, but the first run's entry (it was running before) stays until resume has started it again.
/// </summary>
public sealed record PrepareState
{
    public const int CurrentSchemaVersion = 1;
    public const string FileName = "prepare-state.json";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Environment { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyList<StoppedService> StoppedServices { get; init; } = [];
    public IReadOnlyList<StoppedMonitor> StoppedMonitors { get; init; } = [];

    [JsonIgnore]
    public bool IsEmpty => StoppedServices.Count == 0 && StoppedMonitors.Count == 0;

    public PrepareState With(StoppedService service, DateTimeOffset now) =>
        StoppedServices.Any(s => s.SameAs(service)) ? this with { UpdatedAt = now } : this with { StoppedServices = [.. StoppedServices, service], UpdatedAt = now };

    public PrepareState With(StoppedMonitor monitor, DateTimeOffset now) =>
        StoppedMonitors.Any(m => m.RunbookId == monitor.RunbookId) ? this with { UpdatedAt = now } : this with { StoppedMonitors = [.. StoppedMonitors, monitor], UpdatedAt = now };
}

/// <summary>A Windows service prepare stopped (it was running before).</summary>
public sealed record StoppedService(string Host, string Name, string DisplayName, DateTimeOffset StoppedAt)
{
    public bool SameAs(StoppedService other) =>
        string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A monitor runbook whose job prepare stopped; resume starts a new job of it.</summary>
public sealed record StoppedMonitor(Guid RunbookId, string Runbook, Guid JobId, DateTimeOffset StoppedAt);

/// <summary>Reads and writes prepare-state.json; writes go to a temp file first, so a crash never leaves half a file.</summary>
public sealed class PrepareStateStore(IFileSystem fileSystem, string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path => fileSystem.Path.Combine(directory, PrepareState.FileName);

    /// <summary>The saved state, or null when there is none. A damaged file is an error, never silently replaced.</summary>
    public PrepareState? Load()
    {
        if (!fileSystem.File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PrepareState>(fileSystem.File.ReadAllText(Path), Json)
                ?? throw new InvalidDataException("it is empty");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            throw new Config.ConfigException($"{Path} cannot be read ({ex.Message}); it records what prepare stopped, so it is not overwritten. Fix or move it, then run again.");
        }
    }

    /// <summary>Proves the folder takes the file before prepare changes anything: a stop that cannot be recorded must not happen.</summary>
    public void EnsureWritable()
    {
        fileSystem.Directory.CreateDirectory(directory);
        var probe = fileSystem.Path.Combine(directory, $".{PrepareState.FileName}.{Guid.NewGuid():N}.probe");
        fileSystem.File.WriteAllText(probe, string.Empty);
        fileSystem.File.Delete(probe);
    }

    public void Save(PrepareState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        // An empty state is kept, not deleted: a second resume then reads "nothing to undo" (exit 0), while a folder
        // that never had a state file is a mistake resume refuses (exit 2; see docs/adr/0010-resume-report-files.md).
        fileSystem.Directory.CreateDirectory(directory);
        var temp = Path + ".tmp";
        fileSystem.File.WriteAllText(temp, JsonSerializer.Serialize(state, Json));
        fileSystem.File.Move(temp, Path, overwrite: true);
    }
}
