using System.IO.Abstractions;
using System.Security.Cryptography;
using OrchUpgradePrep.Prerequisites.Backup;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Backup;

public sealed class FileHasherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orchprep-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Hashes_a_file_larger_than_its_buffer_exactly_as_sha256_does_and_reports_progress()
    {
        var path = Path.Combine(_dir, "x.bak");
        var content = new byte[(FileHasher.BufferSize * 3) + 12345];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(path, content, TestContext.Current.CancellationToken);
        var progress = new List<long>();

        var hash = await new FileHasher(new FileSystem()).Sha256Async(path, new SyncProgress(progress), TestContext.Current.CancellationToken);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), hash);
        Assert.Equal(content.Length, progress[^1]);
        Assert.Equal(4, progress.Count);
    }

    [Fact]
    public void Writes_the_checksum_file_in_sha256sum_format()
    {
        var path = Path.Combine(_dir, "SQL01_Orchestrator_20261125053005_orchprep.bak");
        var written = new FileHasher(new FileSystem()).WriteChecksumFile(path, new string('a', 64));
        Assert.Equal(path + ".sha256", written);
        Assert.Equal(new string('a', 64) + "  SQL01_Orchestrator_20261125053005_orchprep.bak\n", File.ReadAllText(written));
    }

    [Fact]
    public async Task Cancellation_stops_hashing()
    {
        var path = Path.Combine(_dir, "y.bak");
        await File.WriteAllBytesAsync(path, new byte[FileHasher.BufferSize * 2], TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FileHasher(new FileSystem()).Sha256Async(path, null, cts.Token));
    }

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
