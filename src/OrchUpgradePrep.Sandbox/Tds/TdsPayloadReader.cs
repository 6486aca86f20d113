using System.Buffers.Binary;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>A bounds-checked cursor over a client payload; overruns become <see cref="TdsProtocolException"/>.</summary>
internal sealed class TdsPayloadReader(byte[] payload, int position = 0)
{
    public int Position { get; set; } = position;

    public int Remaining => payload.Length - Position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>B_VARCHAR: byte character count + UTF-16LE.</summary>
    public string ReadBVarChar() => Encoding.Unicode.GetString(Take(ReadByte() * 2));

    public void Skip(int count) => Take(count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new TdsProtocolException($"payload ends early: need {count} bytes at {Position}, have {Remaining}");
        }

        var span = payload.AsSpan(Position, count);
        Position += count;
        return span;
    }
}
