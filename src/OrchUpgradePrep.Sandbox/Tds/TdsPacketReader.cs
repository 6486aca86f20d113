using System.Buffers.Binary;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Reads whole client messages. Reads exactly one header and its payload at a time (no read-ahead), so the
/// connection can swap the underlying stream (TLS for LOGIN7 only) between messages.
/// </summary>
internal sealed class TdsPacketReader(Stream stream)
{
    public const int HeaderLength = 8;

    /// <summary>Larger messages are refused rather than buffered.</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    private const byte EndOfMessage = 0x01;

    /// <summary>RESETCONNECTION (0x08) and RESETCONNECTIONSKIPTRAN (0x10): sent by SqlClient's pool on reuse.</summary>
    private const byte ResetConnectionFlags = 0x08 | 0x10;

    private readonly byte[] _header = new byte[HeaderLength];

    /// <summary>The next message, or null when the client closed the connection between messages.</summary>
    public async Task<TdsMessage?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        using var payload = new MemoryStream();
        TdsPacketType? type = null;
        var reset = false;
        // Each packet carries at least one byte of header, so the size cap bounds the packet count.
        for (var packets = 0; packets <= MaxMessageBytes; packets++)
        {
            if (!await ReadExactlyOrEndAsync(_header, cancellationToken))
            {
                if (packets == 0)
                {
                    return null;
                }

                throw new TdsProtocolException("connection closed inside a message");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            if (length < HeaderLength)
            {
                throw new TdsProtocolException($"packet length {length} is shorter than its header");
            }

            if (type is null)
            {
                type = (TdsPacketType)_header[0];
                reset = (_header[1] & ResetConnectionFlags) != 0;
            }

            var bodyLength = length - HeaderLength;
            if (payload.Length + bodyLength > MaxMessageBytes)
            {
                throw new TdsProtocolException($"message larger than {MaxMessageBytes} bytes");
            }

            var body = new byte[bodyLength];
            if (!await ReadExactlyOrEndAsync(body, cancellationToken))
            {
                throw new TdsProtocolException("connection closed inside a packet");
            }

            payload.Write(body);
            if ((_header[1] & EndOfMessage) != 0)
            {
                return new TdsMessage(type.Value, payload.ToArray(), reset);
            }
        }

        throw new TdsProtocolException("too many packets in one message");
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length == 0)
        {
            return true;
        }

        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return false;
        }

        return read == buffer.Length ? true : throw new TdsProtocolException("connection closed inside a packet");
    }
}
