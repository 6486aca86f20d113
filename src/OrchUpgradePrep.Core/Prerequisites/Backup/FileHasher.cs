using System.IO.Abstractions;
using System.Security.Cryptography;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>SHA-256 of a file, streamed with a fixed buffer (memory flat in file size), with progress and
/// cancellation; and the <c>&lt;file&gt;.sha256</c> line in <c>sha256sum</c> format so admins can check it with
/// <c>sha256sum -c</c> or <c>Get-FileHash</c>.</summary>
public sealed class FileHasher
{
    public const int BufferSize = 1 << 20;

    private readonly IFileSystem _fileSystem;

    public FileHasher(IFileSystem fileSystem) => _fileSystem = fileSystem;

    public async Task<string> Sha256Async(string path, IProgress<long>? bytesDone, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using var stream = _fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
            bytesDone?.Report(total);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Writes <c>&lt;path&gt;.sha256</c> holding "&lt;hash&gt;  &lt;file name&gt;\n" and returns its path.</summary>
    public string WriteChecksumFile(string path, string sha256)
    {
        var checksumPath = path + ".sha256";
        _fileSystem.File.WriteAllText(checksumPath, $"{sha256}  {_fileSystem.Path.GetFileName(path)}\n");
        return checksumPath;
    }
}
