using System.Buffers.Binary;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Sits under SslStream for TDS 7.x encryption: during the handshake TLS records travel inside PRELOGIN
/// (0x12) packets, so reads strip packet headers and writes add them; after <see cref="CompleteHandshake"/>
/// raw TLS records pass straight through (the client's SslOverTdsStream does the mirror image).
/// </summary>
internal sealed class TdsTlsHandshakeStream(Stream inner) : Stream
{
    private readonly byte[] _header = new byte[TdsPacketReader.HeaderLength];
    private bool _handshakeDone;
    private int _packetRemaining;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void CompleteHandshake() => _handshakeDone = true;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_handshakeDone)
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        // Skip empty packets; a handshake never needs many, so bound the loop.
        for (var emptyPackets = 0; _packetRemaining == 0; emptyPackets++)
        {
            if (emptyPackets > 16)
            {
                throw new TdsProtocolException("too many empty PRELOGIN packets during the TLS handshake");
            }

            var read = await inner.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                return 0;
            }

            if (read < _header.Length)
            {
                throw new TdsProtocolException("connection closed inside a packet header during the TLS handshake");
            }

            _packetRemaining = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)) - TdsPacketReader.HeaderLength;
            if (_packetRemaining < 0)
            {
                throw new TdsProtocolException("bad packet length during the TLS handshake");
            }
        }

        var count = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _packetRemaining)], cancellationToken);
        _packetRemaining -= count;
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_handshakeDone)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        const int bodyMax = TdsPacketWriter.DefaultPacketSize - TdsPacketReader.HeaderLength;
        // Bounded: each pass sends up to bodyMax bytes.
        for (var offset = 0; offset < buffer.Length; offset += bodyMax)
        {
            var take = Math.Min(bodyMax, buffer.Length - offset);
            var packet = new byte[TdsPacketReader.HeaderLength + take];
            packet[0] = (byte)TdsPacketType.PreLogin;
            packet[1] = 0x01;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            buffer.Span.Slice(offset, take).CopyTo(packet.AsSpan(TdsPacketReader.HeaderLength));
            await inner.WriteAsync(packet, cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    // SslStream is driven only through its async API here; the sync members exist because Stream requires them.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("use ReadAsync");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("use WriteAsync");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
