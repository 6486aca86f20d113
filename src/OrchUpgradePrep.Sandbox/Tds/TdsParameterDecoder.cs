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
                    return length switch
                    {
                        0 => null,
                        16 => new Guid(reader.ReadBytes(16)),
                        _ => throw new TdsProtocolException($"GUIDN length {length}; a uniqueidentifier is 16 bytes"),
                    };
                }

            case 0x2A:
                {
                    var scale = reader.ReadByte();
                    var length = reader.ReadByte();
                    return length == 0 ? null : ReadDateTime2(reader.ReadBytes(length), scale, length);
                }

            case 0x6F:
                {
                    reader.ReadByte();
                    var length = reader.ReadByte();
                    return length switch
                    {
                        0 => null,
                        8 => ReadDateTime(reader.ReadInt32(), reader.ReadUInt32()),
                        _ => throw new TdsProtocolException($"DATETIMN length {length} not supported"),
                    };
                }

            case 0x6C or 0x6A:
                {
                    reader.ReadByte();
                    reader.ReadByte();
                    var scale = reader.ReadByte();
                    var length = reader.ReadByte();
                    return length == 0 ? null : ReadNumeric(reader.ReadBytes(length), scale, length);
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

            if (chunk > reader.Remaining)
            {
                throw new TdsProtocolException($"PLP chunk of {chunk} bytes is longer than the {reader.Remaining} bytes left in the message");
            }

            bytes.Write(reader.ReadBytes((int)chunk));
        }

        throw new TdsProtocolException("PLP value has no terminator");
    }

    /// <summary>DATETIME: days since 1900-01-01 and 1/300 s ticks since midnight; SQL Server's range is 1753–9999.</summary>
    private static DateTime ReadDateTime(int days, uint ticks300)
    {
        // DATETIME's time part is less than a day (25,920,000 ticks of 1/300 s); its dates lie within 1753-01-01..9999-12-31.
        if (days is < -53690 or > 2958463 || ticks300 >= 25_920_000)
        {
            throw new TdsProtocolException($"DATETIME value out of range (days {days}, time {ticks300})");
        }

        return SqlDateTimeEpoch.AddDays(days).AddTicks((long)Math.Round(ticks300 * (double)TimeSpan.TicksPerSecond / 300));
    }

    /// <summary>DATETIME2(n): 3 to 5 bytes of time in 10^-n s units, then 3 bytes of days since 0001-01-01.</summary>
    private static DateTime ReadDateTime2(ReadOnlySpan<byte> bytes, byte scale, byte length)
    {
        if (scale > 7 || length is < 6 or > 8)
        {
            throw new TdsProtocolException($"DATETIME2 scale {scale} / length {length} is invalid");
        }

        var timeLength = bytes.Length - 3;
        long time = 0;
        for (var i = 0; i < timeLength; i++)
        {
            time |= (long)bytes[i] << (8 * i);
        }

        var days = bytes[timeLength] | (bytes[timeLength + 1] << 8) | (bytes[timeLength + 2] << 16);
        var ticks = time * (long)Math.Pow(10, 7 - scale);
        if (days > DateTime.MaxValue.Ticks / TimeSpan.TicksPerDay || ticks >= TimeSpan.TicksPerDay)
        {
            throw new TdsProtocolException($"DATETIME2 value out of range (days {days}, time {time})");
        }

        return new DateTime((days * TimeSpan.TicksPerDay) + ticks, DateTimeKind.Unspecified);
    }

    /// <summary>NUMERIC/DECIMAL: sign byte then a little-endian magnitude; beyond what decimal holds is refused.</summary>
    private static decimal ReadNumeric(ReadOnlySpan<byte> bytes, byte scale, byte length)
    {
        // SQL Server's precision is at most 38 digits (17 bytes); decimal holds 28-29 digits and scale 0..28.
        if (length is < 2 or > 17 || scale > 38)
        {
            throw new TdsProtocolException($"NUMERIC length {length} / scale {scale} is invalid");
        }

        var magnitude = new BigInteger(bytes[1..], isUnsigned: true, isBigEndian: false);
        decimal value;
        try
        {
            value = (decimal)magnitude / (decimal)BigInteger.Pow(10, scale);
        }
        catch (OverflowException)
        {
            throw new TdsProtocolException($"NUMERIC value with {length - 1} bytes at scale {scale} is beyond what the sandbox decodes (decimal)");
        }

        return bytes[0] == 1 ? value : -value;
    }
}
