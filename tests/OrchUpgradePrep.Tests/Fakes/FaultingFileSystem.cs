using System.IO.Abstractions;
using System.Text;

namespace OrchUpgradePrep.Tests.Fakes;

/// <summary>
/// The real file system, but a write whose path <see cref="Fault"/> answers with an exception throws it (a read-only
/// folder, a full disk), as the operating system would: for faults a test running as root cannot make for real.
/// </summary>
internal sealed class FaultingFileSystem : IFileSystem
{
    private readonly FileSystem _inner = new();

    public FaultingFileSystem(Func<string, Exception?> fault)
    {
        File = new FaultingFile(this, fault);
    }

    public IFile File { get; }
    public IDirectory Directory => _inner.Directory;
    public IFileInfoFactory FileInfo => _inner.FileInfo;
    public IFileStreamFactory FileStream => _inner.FileStream;
    public IPath Path => _inner.Path;
    public IDirectoryInfoFactory DirectoryInfo => _inner.DirectoryInfo;
    public IDriveInfoFactory DriveInfo => _inner.DriveInfo;
    public IFileSystemWatcherFactory FileSystemWatcher => _inner.FileSystemWatcher;
    public IFileVersionInfoFactory FileVersionInfo => _inner.FileVersionInfo;
    public IRandomAccess RandomAccess => _inner.RandomAccess;

    /// <summary>A read-only folder: every write below <paramref name="directory"/> is refused.</summary>
    public static FaultingFileSystem ReadOnly(string directory) =>
        new(path => IsUnder(path, directory) ? new UnauthorizedAccessException($"Access to the path '{path}' is denied.") : null);

    /// <summary>A disk that fills up after the run's small files: writing a file named <paramref name="fileName"/> below <paramref name="directory"/> fails.</summary>
    public static FaultingFileSystem FullAt(string directory, string fileName) =>
        new(path => IsUnder(path, directory) && System.IO.Path.GetFileName(path) == fileName ? new IOException($"No space left on device : '{path}'") : null);

    private static bool IsUnder(string path, string directory) =>
        System.IO.Path.GetFullPath(path).StartsWith(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory)), StringComparison.Ordinal);

    private sealed class FaultingFile(IFileSystem fileSystem, Func<string, Exception?> fault) : FileWrapper(fileSystem)
    {
        private void Check(string path)
        {
            if (fault(path) is { } ex)
            {
                throw ex;
            }
        }

        public override FileSystemStream Create(string path)
        {
            Check(path);
            return base.Create(path);
        }

        public override void WriteAllText(string path, string? contents)
        {
            Check(path);
            base.WriteAllText(path, contents);
        }

        public override void WriteAllText(string path, string? contents, Encoding encoding)
        {
            Check(path);
            base.WriteAllText(path, contents, encoding);
        }

        public override void WriteAllBytes(string path, byte[] bytes)
        {
            Check(path);
            base.WriteAllBytes(path, bytes);
        }

        public override void AppendAllText(string path, string? contents)
        {
            Check(path);
            base.AppendAllText(path, contents);
        }

        public override void AppendAllText(string path, string? contents, Encoding encoding)
        {
            Check(path);
            base.AppendAllText(path, contents, encoding);
        }

        public override void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            Check(destFileName);
            base.Move(sourceFileName, destFileName, overwrite);
        }
    }
}
