using System.Numerics;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Writes COLMETADATA and ROW tokens for the column types in <see cref="TdsTypeKind"/>.</summary>
internal static class TdsValueEncoder
{
    private static readonly DateTime SqlDateTimeEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static void WriteColumnMetadata(TdsTokenBuffer buffer, IReadOnlyList<TdsColumn> columns)
    {
        buffer.WriteByte(TdsTokens.ColMetadata);
        buffer.WriteUInt16((ushort)columns.Count);
        foreach (var column in columns)
        {
            buffer.WriteUInt32(0);
            buffer.WriteUInt16(0x0001);
            WriteTypeInfo(buffer, column.Type);
            buffer.WriteBVarChar(column.Name);
        }
    }

    public static void WriteRow(TdsTokenBuffer buffer, IReadOnlyList<TdsColumn> columns, IReadOnlyList<object?> values)
    {
        if (values.Count != columns.Count)
        {
            throw new ArgumentException($"row has {values.Count} values for {columns.Count} columns", nameof(values));
        }

        buffer.WriteByte(TdsTokens.Row);
        for (var i = 0; i < columns.Count; i++)
        {
            var value = values[i] is DBNull ? null : values[i];
            WriteValue(buffer, columns[i], value);
        }
    }

    /// <summary>Wire length of numeric values for a precision: 1 sign byte + 4/8/12/16 magnitude bytes.</summary>
    public static byte NumericLength(byte precision) => precision switch
    {
        <= 9 => 5,
        <= 19 => 9,
        <= 28 => 13,
        _ => 17,
    };

    private static void WriteTypeInfo(TdsTokenBuffer buffer, TdsColumnType type)
    {
        switch (type.Kind)
        {
            case TdsTypeKind.NVarChar:
                buffer.WriteByte(0xE7);
                buffer.WriteUInt16((ushort)(type.MaxLength * 2));
                buffer.Write(TdsTokens.Collation);
                break;
            case TdsTypeKind.VarChar:
                buffer.WriteByte(0xA7);
                buffer.WriteUInt16((ushort)type.MaxLength);
                buffer.Write(TdsTokens.Collation);
                break;
            case TdsTypeKind.VarBinary:
                // BIGVARBINARY (MS-TDS 2.2.5.4.2): USHORTLEN max length, no collation.
                buffer.WriteByte(0xA5);
                buffer.WriteUInt16((ushort)type.MaxLength);
                break;
            case TdsTypeKind.TinyInt or TdsTypeKind.SmallInt or TdsTypeKind.Int or TdsTypeKind.BigInt:
                buffer.WriteByte(0x26);
                buffer.WriteByte(IntegerSize(type.Kind));
                break;
            case TdsTypeKind.Bit:
                buffer.Write([0x68, 0x01]);
                break;
            case TdsTypeKind.DateTime:
                buffer.Write([0x6F, 0x08]);
                break;
            case TdsTypeKind.DateTime2:
                buffer.Write([0x2A, type.Scale]);
                break;
            case TdsTypeKind.Numeric:
                buffer.Write([0x6C, NumericLength(type.Precision), type.Precision, type.Scale]);
                break;
            case TdsTypeKind.UniqueIdentifier:
                buffer.Write([0x24, 0x10]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "unsupported column type");
        }
    }

    private static void WriteValue(TdsTokenBuffer buffer, TdsColumn column, object? value)
    {
        var type = column.Type;
        if (value is null)
        {
            // Variable-length character types mark NULL with 0xFFFF; the "N" fixed types with length 0.
            if (type.Kind is TdsTypeKind.NVarChar or TdsTypeKind.VarChar or TdsTypeKind.VarBinary)
            {
                buffer.WriteUInt16(0xFFFF);
            }
            else
            {
                buffer.WriteByte(0);
            }

            return;
        }

        switch (type.Kind)
        {
            case TdsTypeKind.NVarChar:
                WriteCharacters(buffer, column, Encoding.Unicode.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty), type.MaxLength * 2);
                break;
            case TdsTypeKind.VarChar:
                // Latin-1 stands in for code page 1252 (identical for the ASCII names and paths used here).
                WriteCharacters(buffer, column, Encoding.Latin1.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty), type.MaxLength);
                break;
            case TdsTypeKind.VarBinary:
                WriteCharacters(buffer, column, value as byte[] ?? throw new ArgumentException($"value for column '{column.Name}' is not a byte array"), type.MaxLength);
                break;
            case TdsTypeKind.TinyInt:
                buffer.Write([1, Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture)]);
                break;
            case TdsTypeKind.SmallInt:
                buffer.WriteByte(2);
                buffer.WriteUInt16(unchecked((ushort)Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case TdsTypeKind.Int:
                buffer.WriteByte(4);
                buffer.WriteInt32(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TdsTypeKind.BigInt:
                buffer.WriteByte(8);
                buffer.WriteInt64(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TdsTypeKind.Bit:
                buffer.Write([1, Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture) ? (byte)1 : (byte)0]);
                break;
            case TdsTypeKind.DateTime:
                WriteDateTime(buffer, ToDateTime(value));
                break;
            case TdsTypeKind.DateTime2:
                WriteDateTime2(buffer, ToDateTime(value));
                break;
            case TdsTypeKind.Numeric:
                WriteNumeric(buffer, type, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case TdsTypeKind.UniqueIdentifier:
                buffer.WriteByte(16);
                buffer.Write((value is Guid guid ? guid : Guid.Parse(value.ToString() ?? string.Empty)).ToByteArray());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), type.Kind, "unsupported column type");
        }
    }

    private static void WriteCharacters(TdsTokenBuffer buffer, TdsColumn column, byte[] bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            throw new ArgumentException($"value for column '{column.Name}' is longer than the column ({bytes.Length} > {maxBytes} bytes)");
        }

        buffer.WriteUInt16((ushort)bytes.Length);
        buffer.Write(bytes);
    }

    private static byte IntegerSize(TdsTypeKind kind) => kind switch
    {
        TdsTypeKind.TinyInt => 1,
        TdsTypeKind.SmallInt => 2,
        TdsTypeKind.Int => 4,
        _ => 8,
    };

    private static DateTime ToDateTime(object value) => value switch
    {
        DateTime dateTime => dateTime,
        DateTimeOffset offset => offset.UtcDateTime,
        _ => Convert.ToDateTime(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void WriteDateTime(TdsTokenBuffer buffer, DateTime value)
    {
        // datetime: days since 1900-01-01 and 1/300-second ticks since midnight.
        var days = (int)(value.Date - SqlDateTimeEpoch).TotalDays;
        var ticks300 = (uint)Math.Round(value.TimeOfDay.Ticks * 300.0 / TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
        buffer.WriteByte(8);
        buffer.WriteInt32(days);
        buffer.WriteUInt32(ticks300);
    }

    private static void WriteDateTime2(TdsTokenBuffer buffer, DateTime value)
    {
        // datetime2(7): 5-byte count of 100 ns since midnight, 3-byte days since 0001-01-01.
        var time = value.TimeOfDay.Ticks;
        var days = value.Date.Ticks / TimeSpan.TicksPerDay;
        buffer.WriteByte(8);
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i < 5; i++)
        {
            bytes[i] = (byte)(time >> (8 * i));
        }

        for (var i = 0; i < 3; i++)
        {
            bytes[5 + i] = (byte)(days >> (8 * i));
        }

        buffer.Write(bytes);
    }

    private static void WriteNumeric(TdsTokenBuffer buffer, TdsColumnType type, decimal value)
    {
        var rounded = Math.Round(value, type.Scale, MidpointRounding.AwayFromZero);
        var bits = decimal.GetBits(rounded);
        var valueScale = (bits[3] >> 16) & 0xFF;
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        magnitude *= BigInteger.Pow(10, type.Scale - valueScale);
        if (magnitude >= BigInteger.Pow(10, type.Precision))
        {
            throw new ArgumentException($"{value} does not fit numeric({type.Precision},{type.Scale})");
        }

        var length = NumericLength(type.Precision);
        var magnitudeBytes = new byte[length - 1];
        magnitude.TryWriteBytes(magnitudeBytes, out _, isUnsigned: true, isBigEndian: false);
        buffer.WriteByte(length);
        buffer.WriteByte(rounded < 0 ? (byte)0 : (byte)1);
        buffer.Write(magnitudeBytes);
    }
}
