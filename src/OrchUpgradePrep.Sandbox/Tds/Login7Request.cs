using System.Buffers.Binary;
using System.Text;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>The LOGIN7 fields this server uses (MS-TDS 2.2.6.4); FeatureExt is ignored.</summary>
internal sealed record Login7Request(
    int PacketSize,
    bool IntegratedSecurity,
    string HostName,
    string UserName,
    string Password,
    string ApplicationName,
    string Database)
{
    private const int FixedLength = 94;
    private const byte IntegratedSecurityFlag = 0x80;

    public static Login7Request Parse(byte[] payload)
    {
        if (payload.Length < FixedLength)
        {
            throw new TdsProtocolException($"LOGIN7 is {payload.Length} bytes, shorter than its fixed part");
        }

        var span = payload.AsSpan();
        var packetSize = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var integrated = (span[25] & IntegratedSecurityFlag) != 0;
        return new Login7Request(
            packetSize,
            integrated,
            ReadText(payload, 36),
            ReadText(payload, 40),
            DeobfuscatePassword(ReadBytes(payload, 44)),
            ReadText(payload, 48),
            ReadText(payload, 68));
    }

    /// <summary>
    /// SqlClient swaps each byte's nibbles and then XORs with 0xA5 (MS-TDS 2.2.6.4); undo: XOR, then swap.
    /// </summary>
    private static string DeobfuscatePassword(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var unmasked = (byte)(bytes[i] ^ 0xA5);
            bytes[i] = (byte)((unmasked << 4) | (unmasked >> 4));
        }

        return Encoding.Unicode.GetString(bytes);
    }

    private static string ReadText(byte[] payload, int fieldOffset) => Encoding.Unicode.GetString(ReadBytes(payload, fieldOffset));

    /// <summary>An (offset, character length) pair pointing into the LOGIN7 payload.</summary>
    private static byte[] ReadBytes(byte[] payload, int fieldOffset)
    {
        var offset = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(fieldOffset));
        var byteLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(fieldOffset + 2)) * 2;
        if (offset + byteLength > payload.Length)
        {
            throw new TdsProtocolException($"LOGIN7 field at {fieldOffset} points outside the message");
        }

        return payload.AsSpan(offset, byteLength).ToArray();
    }
}
