using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Little-endian byte builder for token streams (TDS is little-endian except where noted).</summary>
internal sealed class TdsTokenBuffer
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public void Clear() => _buffer.Clear();

    public void WriteByte(byte value) => Write([value]);

    public void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>B_VARCHAR: byte character count + UTF-16LE.</summary>
    public void WriteBVarChar(string value)
    {
        var text = value.Length > byte.MaxValue ? value[..byte.MaxValue] : value;
        WriteByte((byte)text.Length);
        Write(Encoding.Unicode.GetBytes(text));
    }

    /// <summary>US_VARCHAR: u16 character count + UTF-16LE.</summary>
    public void WriteUsVarChar(string value)
    {
        WriteUInt16((ushort)value.Length);
        Write(Encoding.Unicode.GetBytes(value));
    }

    /// <summary>Writes a u16 length slot for a token whose size is known only after its body.</summary>
    public int ReserveUInt16()
    {
        var position = Length;
        WriteUInt16(0);
        return position;
    }

    public void PatchUInt16(int position, ushort value)
    {
        // ArrayBufferWriter exposes written data read-only; the slot was written by us, so patching is safe.
        var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteUInt16LittleEndian(span[position..], value);
    }

    /// <summary>Removes the first <paramref name="count"/> bytes (already sent as full packets).</summary>
    public void Consume(int count)
    {
        var rest = _buffer.WrittenSpan[count..].ToArray();
        _buffer.Clear();
        _buffer.Write(rest);
    }
}
