using System.Buffers.Binary;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>PRELOGIN (MS-TDS 2.2.6.5): the client's encryption wish in, the server's answer out.</summary>
internal static class PreLoginMessage
{
    public const byte EncryptOff = 0x00;
    public const byte EncryptOn = 0x01;
    public const byte EncryptNotSupported = 0x02;
    public const byte EncryptRequired = 0x03;

    private const byte TokenVersion = 0x00;
    private const byte TokenEncryption = 0x01;
    private const byte TokenTerminator = 0xFF;

    /// <summary>The client's ENCRYPTION byte (offsets and lengths are big-endian); OFF when absent.</summary>
    public static byte ReadClientEncryption(byte[] payload)
    {
        // Option entries are 5 bytes each; the payload length bounds how many can exist.
        for (var entry = 0; entry + 5 <= payload.Length; entry += 5)
        {
            var token = payload[entry];
            if (token == TokenTerminator)
            {
                break;
            }

            var offset = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(entry + 1));
            var length = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(entry + 3));
            if (token == TokenEncryption && length >= 1 && offset < payload.Length)
            {
                // The low bits carry the mode; 0x80 only says the client also offers a certificate.
                return (byte)(payload[offset] & 0x7F);
            }
        }

        return EncryptOff;
    }

    /// <summary>VERSION 16.0.1000, ENCRYPTION, INSTOPT, THREADID (empty), MARS off.</summary>
    public static byte[] BuildResponse(byte encryption)
    {
        byte[] version = [0x10, 0x00, 0x03, 0xE8, 0x00, 0x00];
        (byte Token, byte[] Data)[] options =
        [
            (TokenVersion, version),
            (TokenEncryption, [encryption]),
            (0x02, [0x00]),
            (0x03, []),
            (0x04, [0x00]),
        ];
        var headerLength = (options.Length * 5) + 1;
        var payload = new byte[headerLength + options.Sum(o => o.Data.Length)];
        var dataOffset = headerLength;
        for (var i = 0; i < options.Length; i++)
        {
            var entry = i * 5;
            payload[entry] = options[i].Token;
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(entry + 1), (ushort)dataOffset);
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(entry + 3), (ushort)options[i].Data.Length);
            options[i].Data.CopyTo(payload, dataOffset);
            dataOffset += options[i].Data.Length;
        }

        payload[options.Length * 5] = TokenTerminator;
        return payload;
    }
}
