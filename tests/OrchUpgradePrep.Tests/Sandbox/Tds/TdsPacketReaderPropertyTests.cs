using System.Buffers.Binary;
using CsCheck;
using OrchUpgradePrep.Fuzz;
using OrchUpgradePrep.Sandbox.Tds;
using OrchUpgradePrep.Tests.Fuzz;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

/// <summary>What a hostile TDS client can send the sandbox server: every stream and payload is read or refused with
/// <see cref="TdsProtocolException"/> (the connection is dropped), never another exception.</summary>
public sealed class TdsPacketReaderPropertyTests
{
    // A packet header with any type, status and (possibly lying) length, and a body that may be shorter or longer.
    private static readonly Gen<byte[]> Packet = Gen.Select(
        Gen.OneOf(Gen.Const((byte)TdsPacketType.PreLogin), Gen.Const((byte)TdsPacketType.Login7), Gen.Const((byte)TdsPacketType.SqlBatch), Gen.Const((byte)TdsPacketType.Rpc), Gen.Const((byte)TdsPacketType.Attention), Gen.Byte),
        Gen.OneOf(Gen.Const((byte)0x01), Gen.Const((byte)0x00), Gen.Byte),
        Gen.OneOf(Gen.UShort[0, 16], Gen.UShort[8, 300], Gen.UShort),
        Gen.Byte.Array[0, 300],
        (type, status, length, body) =>
        {
            var packet = new byte[8 + body.Length];
            packet[0] = type;
            packet[1] = status;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), length);
            body.CopyTo(packet, 8);
            return packet;
        });

    [Fact]
    public async Task Streams_of_hostile_packets_are_read_or_refused_with_a_protocol_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await Packet.Array[0, 6].Select(packets => packets.SelectMany(p => p).ToArray()).SampleAsync(
            async stream => Assert.NotNull(await HostileInput.RunAsync("tds", stream, ct)),
            iter: 500, print: HostileInput.Show);
    }

    [Fact]
    public async Task Mutated_sessions_are_read_or_refused_with_a_protocol_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await HostileInput.Mutated("tds").SampleAsync(
            async input => Assert.NotNull(await HostileInput.RunAsync("tds", input, ct)),
            iter: 800, print: HostileInput.Show);
    }

    [Fact]
    public async Task A_truncated_stream_is_a_protocol_error_not_a_partial_message()
    {
        var session = SeedCorpus.For("tds").Single(s => s.Name == "session.bin").Data;
        await Gen.Int[1, session.Length - 1].SampleAsync(
            async cut =>
            {
                var reader = new TdsPacketReader(new MemoryStream(session[..cut]));
                var error = await Record.ExceptionAsync(async () =>
                {
                    for (var i = 0; i < 8 && await reader.ReadMessageAsync(TestContext.Current.CancellationToken) is not null; i++)
                    {
                    }
                });

                // Cut on a message boundary the stream just ends; anywhere else the reader says the connection closed early.
                Assert.True(error is null or TdsProtocolException, error?.ToString());
            },
            iter: 200);
    }

    // Regressions found by fuzz/run.sh tds: each threw ArgumentException, OverflowException or ArgumentOutOfRangeException,
    // which the server reported as "internal error" instead of refusing the request as malformed.
    [Theory]
    [InlineData(new byte[] { 0x24, 16, 5, 1, 2, 3, 4, 5 }, "GUIDN length 5")]
    [InlineData(new byte[] { 0x2A, 9, 8, 0, 0, 0, 0, 0, 0, 0, 0 }, "DATETIME2 scale 9")]
    [InlineData(new byte[] { 0x2A, 7, 2, 0, 0 }, "DATETIME2 scale 7 / length 2")]
    [InlineData(new byte[] { 0x2A, 0, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "DATETIME2 value out of range")]
    [InlineData(new byte[] { 0x6F, 8, 8, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0 }, "DATETIME value out of range")]
    [InlineData(new byte[] { 0x6C, 17, 38, 0, 17, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "beyond what the sandbox decodes")]
    [InlineData(new byte[] { 0x6C, 17, 38, 60, 2, 1, 1 }, "NUMERIC length 2 / scale 60")]
    [InlineData(new byte[] { 0xE7, 0xFF, 0xFF, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2 }, "PLP chunk of 4294967295 bytes")]
    public void Malformed_rpc_parameters_are_protocol_errors(byte[] parameter, string expected)
    {
        byte[] payload = [22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 0, 0, 0, .. parameter];

        var error = Assert.Throws<TdsProtocolException>(() => SqlBatchParser.ReadRpc(payload));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_parameter_type_of_the_seed_rpc_still_decodes()
    {
        var call = SqlBatchParser.ReadRpc(SeedCorpus.ExecuteSql());

        Assert.Equal("sp_executesql", call.ProcName);
        Assert.Equal(
            ["SELECT @p0, @p1", "@p0 int, @p1 nvarchar(max)", 42, "plp text", true, Guid.Parse("6e4c5bfa-1b1b-4c1c-9a5e-2f7e8f000001")],
            call.Parameters.Take(6).Select(p => p.Value));
        Assert.IsType<DateTime>(call.Parameters[6].Value);
        Assert.IsType<DateTime>(call.Parameters[7].Value);
        Assert.Equal(123.45m, call.Parameters[8].Value);
        Assert.Equal("AB", call.Parameters[9].Value);
    }
}
