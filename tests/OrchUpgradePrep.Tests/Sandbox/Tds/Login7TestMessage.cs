using System.Buffers.Binary;
using System.Text;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

/// <summary>Builds LOGIN7 payloads the way a client does, for tests that bypass SqlClient.</summary>
internal static class Login7TestMessage
{
    private const int FixedLength = 94;

    public static byte[] Build(string user, string password, string database = "", bool integratedSecurity = false, int packetSize = 4096)
    {
        // Field offset in the fixed part → UTF-16 text (password obfuscated like the client does).
        (int Field, byte[] Data, int Chars)[] fields =
        [
            (36, Unicode("TESTHOST"), 8),
            (40, Unicode(user), user.Length),
            (44, Obfuscate(Unicode(password)), password.Length),
            (48, Unicode("raw-test"), 8),
            (52, Unicode("127.0.0.1"), 9),
            (60, Unicode("raw"), 3),
            (68, Unicode(database), database.Length),
        ];
        var payload = new byte[FixedLength + fields.Sum(f => f.Data.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 0x74000004);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), packetSize);
        payload[25] = integratedSecurity ? (byte)0x80 : (byte)0x00;
        var offset = FixedLength;
        foreach (var (field, data, chars) in fields)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(field), (ushort)offset);
            BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(field + 2), (ushort)chars);
            data.CopyTo(payload, offset);
            offset += data.Length;
        }

        return payload;
    }

    private static byte[] Unicode(string text) => Encoding.Unicode.GetBytes(text);

    /// <summary>Client side of MS-TDS 2.2.6.4: swap nibbles, then XOR with 0xA5.</summary>
    private static byte[] Obfuscate(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            var swapped = (byte)((bytes[i] << 4) | (bytes[i] >> 4));
            bytes[i] = (byte)(swapped ^ 0xA5);
        }

        return bytes;
    }
}
