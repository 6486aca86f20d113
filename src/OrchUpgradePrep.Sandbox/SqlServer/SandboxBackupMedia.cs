using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The sandbox's backup file format (not Microsoft Tape Format, but with the same properties that verification
/// relies on). Each media family (stripe) file: an 8 KiB header region ("OSBXMED1", u32 length, UTF-8 JSON of
/// <see cref="SandboxBackupHeader"/>, zero padding — rewritten with final sizes when the backup completes), then
/// chunks [u32 raw length][u32 stored length][u64 checksum = first 8 bytes of SHA-256 of the raw data][stored bytes,
/// DEFLATE when compressed], then u32 0xFFFFFFFF. Chunk i of the database goes to family i mod N.
/// </summary>
internal static class SandboxBackupMedia
{
    public const int HeaderRegion = 8192;
    public const int ChunkBytes = 64 * 1024;
    private const uint EndMarker = 0xFFFFFFFF;
    private static readonly byte[] Magic = "OSBXMED1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The database's content for chunk <paramref name="index"/>: deterministic, repetitive enough to compress.</summary>
    public static byte[] DataChunk(long index, int length)
    {
        var block = new byte[4096];
        new Random(unchecked((int)(index * 7919 + 17))).NextBytes(block);
        var data = new byte[length];
        for (var offset = 0; offset < length; offset += block.Length)
        {
            block.AsSpan(0, Math.Min(block.Length, length - offset)).CopyTo(data.AsSpan(offset));
        }

        return data;
    }

    public static ulong Checksum(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(data));

    public static void WriteHeader(Stream stream, SandboxBackupHeader header)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        if (json.Length + 12 > HeaderRegion)
        {
            throw new InvalidOperationException("backup header too large");
        }

        var region = new byte[HeaderRegion];
        Magic.CopyTo(region, 0);
        BinaryPrimitives.WriteInt32LittleEndian(region.AsSpan(8), json.Length);
        json.CopyTo(region, 12);
        stream.Position = 0;
        stream.Write(region);
    }

    /// <summary>Reads the header region; null when the file is not sandbox media (or is cut short).</summary>
    public static SandboxBackupHeader? ReadHeader(Stream stream)
    {
        var region = new byte[HeaderRegion];
        stream.Position = 0;
        if (stream.ReadAtLeast(region, HeaderRegion, throwOnEndOfStream: false) < HeaderRegion || !region.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(region.AsSpan(8));
        if (length <= 0 || length > HeaderRegion - 12)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SandboxBackupHeader>(region.AsSpan(12, length), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] EncodeChunk(byte[] raw, bool compress)
    {
        byte[] stored;
        if (compress)
        {
            using var output = new MemoryStream();
            using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                deflate.Write(raw);
            }

            stored = output.ToArray();
        }
        else
        {
            stored = raw;
        }

        var chunk = new byte[16 + stored.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(chunk, (uint)raw.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)stored.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(chunk.AsSpan(8), Checksum(raw));
        stored.CopyTo(chunk, 16);
        return chunk;
    }

    public static void WriteEnd(Stream stream)
    {
        Span<byte> end = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(end, EndMarker);
        stream.Write(end);
    }

    /// <summary>Reads the next chunk after the header; returns null at the end marker; throws <see cref="InvalidDataException"/>
    /// on a cut-short file, a bad length or a checksum mismatch (the page number is in the message).</summary>
    public static byte[]? ReadChunk(Stream stream, bool compressed, long chunkIndex)
    {
        Span<byte> head = stackalloc byte[16];
        var read = stream.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw new InvalidDataException("end of file before the end of the backup set");
        }

        var rawLength = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (rawLength == EndMarker)
        {
            return null;
        }

        if (stream.ReadAtLeast(head[4..], 12, throwOnEndOfStream: false) < 12)
        {
            throw new InvalidDataException("end of file inside a chunk");
        }

        var storedLength = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
        if (rawLength > ChunkBytes || storedLength > ChunkBytes * 2)
        {
            throw new ChunkDamagedException(chunkIndex);
        }

        var stored = new byte[storedLength];
        if (stream.ReadAtLeast(stored, (int)storedLength, throwOnEndOfStream: false) < storedLength)
        {
            throw new InvalidDataException("end of file inside a chunk");
        }

        byte[] raw;
        try
        {
            raw = compressed ? Inflate(stored, (int)rawLength) : stored;
        }
        catch (InvalidDataException)
        {
            throw new ChunkDamagedException(chunkIndex);
        }

        if (raw.Length != rawLength || Checksum(raw) != checksum)
        {
            throw new ChunkDamagedException(chunkIndex);
        }

        return raw;
    }

    private static byte[] Inflate(byte[] stored, int rawLength)
    {
        using var input = new MemoryStream(stored);
        using var inflate = new DeflateStream(input, CompressionMode.Decompress);
        var raw = new byte[rawLength];
        var total = inflate.ReadAtLeast(raw, rawLength, throwOnEndOfStream: false);
        return total == rawLength ? raw : raw[..total];
    }
}

/// <summary>A chunk whose checksum does not match: SQL Server reports the page (3183).</summary>
internal sealed class ChunkDamagedException(long chunkIndex) : IOException($"checksum mismatch in chunk {chunkIndex}")
{
    /// <summary>The first 8 KB page of the damaged chunk, as SQL Server would name it (file 1).</summary>
    public long Page => chunkIndex * (SandboxBackupMedia.ChunkBytes / 8192);
}

/// <summary>What HEADERONLY and FILELISTONLY report, stored in every family's header.</summary>
internal sealed record SandboxBackupHeader
{
    public required string Database { get; init; }
    public required string BackupName { get; init; }
    public string? Description { get; init; }
    public required string ServerName { get; init; }
    public required string Collation { get; init; }
    public required string RecoveryModel { get; init; }
    public bool CopyOnly { get; init; }
    public bool Checksums { get; init; }
    public bool Compressed { get; init; }
    public bool Complete { get; init; }
    public decimal FirstLsn { get; init; }
    public decimal LastLsn { get; init; }
    public decimal CheckpointLsn { get; init; }
    public decimal DatabaseBackupLsn { get; init; }
    public DateTime StartDate { get; init; }
    public DateTime FinishDate { get; init; }
    public Guid MediaSetId { get; init; }
    public Guid BackupSetId { get; init; }
    public Guid FamilyId { get; init; }
    public int FamilySequence { get; init; }
    public int FamilyCount { get; init; }
    public long DataBytes { get; init; }
    public long BackupSize { get; init; }
    public long CompressedBackupSize { get; init; }
    public IReadOnlyList<SandboxDatabaseFile> Files { get; init; } = [];

    /// <summary>SERVERPROPERTY('ProductVersion') of the instance that wrote it (HEADERONLY SoftwareVersion*); null in older sandbox files.</summary>
    public string? SoftwareVersion { get; init; }

    /// <summary>The database's master key and its protection, which a restore brings along.</summary>
    public bool HasMasterKey { get; init; }
    public bool MasterKeyEncryptedByServer { get; init; }
}

/// <summary>One file of a simulated database.</summary>
internal sealed record SandboxDatabaseFile(string LogicalName, string PhysicalName, string Type, long SizeBytes, long UsedBytes, int FileId);
