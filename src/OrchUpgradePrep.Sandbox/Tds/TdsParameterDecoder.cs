using System.Numerics;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Decodes an RPC parameter's TYPE_INFO and value to a .NET value (null for NULL).</summary>
internal static class TdsParameterDecoder
{
    private const ulong PlpNull = 0xFFFFFFFFFFFFFFFF;
    private static readonly DateTime SqlDateTimeEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static object? ReadValue(TdsPayloadReader reader)
    {
        var type = reader.ReadByte();
        switch (type)
        {
            case 0xE7 or 0xA7 or 0xEF or 0xAF:
                {
                    // NVARCHAR / VARCHAR / NCHAR / CHAR: u16 max length (0xFFFF = (max), PLP), collation.
                    var maxLength = reader.ReadUInt16();
                    reader.Skip(5);
                    var unicode = type is 0xE7 or 0xEF;
                    var bytes = maxLength == 0xFFFF ? ReadPlp(reader) : ReadShortLength(reader);
                    return bytes is null ? null : Decode(bytes, unicode);
                }

            case 0x63 or 0x23:
                {
                    // NTEXT / TEXT (SqlClient sends a long @stmt this way): u32 max, collation, u32 length.
                    reader.ReadUInt32();
                    reader.Skip(5);
                    var length = reader.ReadUInt32();
                    return length == 0xFFFFFFFF ? null : Decode(reader.ReadBytes((int)length).ToArray(), type == 0x63);
                }

            case 0x26:
                {
                    reader.ReadByte();
                    var length = reader.ReadByte();
                    return length switch
                    {
                        0 => null,
                        1 => reader.ReadByte(),
                        2 => (short)reader.ReadUInt16(),
                        4 => reader.ReadInt32(),
                        8 => (long)reader.ReadUInt64(),
                        _ => throw new TdsProtocolException($"INTN length {length}"),
                    };
                }

            case 0x68:
                {
                    reader.ReadByte();
                    return reader.ReadByte() == 0 ? null : reader.ReadByte() != 0;
                }

            case 0x24:
                {
                    reader.ReadByte();
                    var length = reader.ReadByte();
                    return length == 0 ? null : new Guid(reader.ReadBytes(length));
                }

            case 0x2A:
                {
                    var scale = reader.ReadByte();
                    var length = reader.ReadByte();
                    return length == 0 ? null : ReadDateTime2(reader.ReadBytes(length), scale);
                }

            case 0x6F:
                {
                    reader.ReadByte();
                    var length = reader.ReadByte();
                    return length switch
                    {
                        0 => null,
                        8 => SqlDateTimeEpoch.AddDays(reader.ReadInt32()).AddTicks((long)Math.Round(reader.ReadUInt32() * (double)TimeSpan.TicksPerSecond / 300)),
                        _ => throw new TdsProtocolException($"DATETIMN length {length} not supported"),
                    };
                }

            case 0x6C or 0x6A:
                {
                    reader.ReadByte();
                    reader.ReadByte();
                    var scale = reader.ReadByte();
                    var length = reader.ReadByte();
                    return length == 0 ? null : ReadNumeric(reader.ReadBytes(length), scale);
                }

            default:
                throw new TdsProtocolException($"parameter type 0x{type:X2} is not supported by the sandbox");
        }
    }

    private static string Decode(byte[] bytes, bool unicode) => unicode ? Encoding.Unicode.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    private static byte[]? ReadShortLength(TdsPayloadReader reader)
    {
        var length = reader.ReadUInt16();
        return length == 0xFFFF ? null : reader.ReadBytes(length).ToArray();
    }

    /// <summary>PLP: u64 total (or unknown), then u32-length chunks ending with a zero chunk.</summary>
    private static byte[]? ReadPlp(TdsPayloadReader reader)
    {
        if (reader.ReadUInt64() == PlpNull)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        // Every chunk consumes its 4-byte length, so the payload size bounds the loop.
        while (reader.Remaining > 0)
        {
            var chunk = reader.ReadUInt32();
            if (chunk == 0)
            {
                return bytes.ToArray();
            }

            bytes.Write(reader.ReadBytes(checked((int)chunk)));
        }

        throw new TdsProtocolException("PLP value has no terminator");
    }

    private static DateTime ReadDateTime2(ReadOnlySpan<byte> bytes, byte scale)
    {
        var timeLength = bytes.Length - 3;
        long time = 0;
        for (var i = 0; i < timeLength; i++)
        {
            time |= (long)bytes[i] << (8 * i);
        }

        var days = bytes[timeLength] | (bytes[timeLength + 1] << 8) | (bytes[timeLength + 2] << 16);
        var ticks = time * (long)Math.Pow(10, 7 - scale);
        return new DateTime((days * TimeSpan.TicksPerDay) + ticks, DateTimeKind.Unspecified);
    }

    private static decimal ReadNumeric(ReadOnlySpan<byte> bytes, byte scale)
    {
        var magnitude = new BigInteger(bytes[1..], isUnsigned: true, isBigEndian: false);
        var value = (decimal)magnitude / (decimal)BigInteger.Pow(10, scale);
        return bytes[0] == 1 ? value : -value;
    }
}
