using System.Buffers.Binary;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Splits server messages into packets of the negotiated size; one writer at a time.</summary>
internal sealed class TdsPacketWriter(Stream stream, int spid) : IDisposable
{
    public const int DefaultPacketSize = 4096;
    public const int MaxPacketSize = 32768;
    public const int MinPacketSize = 512;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte _packetId = 1;

    public Stream Stream { get; set; } = stream;

    public int PacketSize { get; set; } = DefaultPacketSize;

    /// <summary>
    /// Writes <paramref name="payload"/> as packets; the last one carries EOM only when
    /// <paramref name="endOfMessage"/> (a partial flush, e.g. live INFO, leaves the message open).
    /// </summary>
    public async Task WriteAsync(TdsPacketType type, ReadOnlyMemory<byte> payload, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var bodyMax = PacketSize - TdsPacketReader.HeaderLength;
            var offset = 0;
            // Bounded: each pass consumes up to bodyMax bytes; an empty final message still sends one packet.
            do
            {
                var take = Math.Min(bodyMax, payload.Length - offset);
                var last = offset + take == payload.Length;
                var packet = new byte[TdsPacketReader.HeaderLength + take];
                packet[0] = (byte)type;
                packet[1] = (byte)(last && endOfMessage ? 0x01 : 0x00);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)spid);
                packet[6] = _packetId++;
                payload.Span.Slice(offset, take).CopyTo(packet.AsSpan(TdsPacketReader.HeaderLength));
                await Stream.WriteAsync(packet, cancellationToken);
                offset += take;
            }
            while (offset < payload.Length);

            await Stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
