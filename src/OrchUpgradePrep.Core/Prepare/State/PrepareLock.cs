using System.Globalization;
using System.IO.Abstractions;
using System.Text.Json;

namespace OrchUpgradePrep.Prepare.State;

/// <summary>
/// One prepare or resume at a time per environment: prepare.lock beside prepare-state.json, opened exclusively
/// (FileShare.None) and deleted on close, for the whole run. The operating system releases it when the process ends,
/// however it ends, so a crashed run never leaves a stale lock. Who holds it (pid, host, mode, start) is written into
/// it and into prepare.lock.owner, which a second run can read (the lock file itself cannot be opened while held).
/// </summary>
public sealed class PrepareLock : IDisposable
{
    public const string FileName = "prepare.lock";
    public const string OwnerFileName = "prepare.lock.owner";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IFileSystem _fileSystem;
    private readonly FileSystemStream _stream;
    private readonly string _ownerPath;

    private PrepareLock(IFileSystem fileSystem, FileSystemStream stream, string ownerPath)
    {
        _fileSystem = fileSystem;
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the lock of <paramref name="directory"/>, or throws <see cref="PrepareLockedException"/> naming who holds it.</summary>
    public static PrepareLock Acquire(IFileSystem fileSystem, string directory, string environment, string mode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        fileSystem.Directory.CreateDirectory(directory);
        var path = fileSystem.Path.Combine(directory, FileName);
        var ownerPath = fileSystem.Path.Combine(directory, OwnerFileName);
        FileSystemStream stream;
        try
        {
            stream = fileSystem.FileStream.New(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new PrepareLockedException(Describe(fileSystem, ownerPath, environment, path), ex);
        }

        var owner = new PrepareLockOwner(environment, mode, Environment.ProcessId, Environment.MachineName, now);
        var json = JsonSerializer.Serialize(owner, Json);
        try
        {
            stream.SetLength(0);
            var bytes = System.Text.Encoding.UTF8.GetBytes(json);
            stream.Write(bytes);
            stream.Flush();
            fileSystem.File.WriteAllText(ownerPath, json);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new PrepareLock(fileSystem, stream, ownerPath);
    }

    public void Dispose()
    {
        try
        {
            // The owner file goes first: once the lock is released, a new owner may write its own.
            _fileSystem.File.Delete(_ownerPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the file only explains a held lock; a stale one is never read while the lock is free.
        }

        _stream.Dispose();
    }

    private static string Describe(IFileSystem fileSystem, string ownerPath, string environment, string lockPath)
    {
        PrepareLockOwner? owner = null;
        try
        {
            owner = JsonSerializer.Deserialize<PrepareLockOwner>(fileSystem.File.ReadAllText(ownerPath), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // The holder has not written it yet (or it is being rewritten): say what is known.
        }

        var who = owner is null
            ? "(its process id and host are not known yet)"
            : string.Create(CultureInfo.InvariantCulture, $"since {owner.StartedAt:yyyy-MM-dd HH:mm:ss}Z (orchprep {owner.Mode}, pid {owner.ProcessId} on host {owner.Host})");
        return $"another orchprep prepare or resume is running for environment '{environment}' {who}; it holds {lockPath}. " +
               "Two runs at once would stop and start the same runbooks and write the same state and report, so this one changes nothing. " +
               "Wait for it to finish (or stop that process), then run again.";
    }
}

/// <summary>Who holds prepare.lock, for the message a second run gives.</summary>
public sealed record PrepareLockOwner(string Environment, string Mode, int ProcessId, string Host, DateTimeOffset StartedAt);

/// <summary>Another prepare or resume holds the environment's lock.</summary>
public sealed class PrepareLockedException : Exception
{
    public PrepareLockedException()
    {
    }

    public PrepareLockedException(string message)
        : base(message)
    {
    }

    public PrepareLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
