using System.Net.Sockets;
using System.Text;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.Tds;

/// <summary>Protocol cases SqlClient cannot easily produce, driven over a raw socket.</summary>
public sealed class TdsRawProtocolTests
{
    [Fact]
    public void Login7_password_round_trips_through_the_client_obfuscation()
    {
        var login = Login7Request.Parse(Login7TestMessage.Build("orchprep", "Pä$$w0rd!", "Orchestrator", packetSize: 8000));

        Assert.Equal("orchprep", login.UserName);
        Assert.Equal("Pä$$w0rd!", login.Password);
        Assert.Equal("Orchestrator", login.Database);
        Assert.Equal(8000, login.PacketSize);
        Assert.False(login.IntegratedSecurity);
    }

    [Fact]
    public async Task Integrated_security_login_is_refused_with_18456_and_a_clear_message()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, ct);
        await using var stream = client.GetStream();
        using var writer = new TdsPacketWriter(stream, 0);
        var reader = new TdsPacketReader(stream);

        await writer.WriteAsync(TdsPacketType.PreLogin, PreLoginMessage.BuildResponse(PreLoginMessage.EncryptNotSupported), endOfMessage: true, ct);
        var preLoginReply = await reader.ReadMessageAsync(ct);
        await writer.WriteAsync(TdsPacketType.Login7, Login7TestMessage.Build("DOMAIN\\user", string.Empty, integratedSecurity: true), endOfMessage: true, ct);
        var loginReply = await reader.ReadMessageAsync(ct);

        Assert.NotNull(preLoginReply);
        Assert.Equal(PreLoginMessage.EncryptNotSupported, PreLoginMessage.ReadClientEncryption(preLoginReply.Payload));
        Assert.NotNull(loginReply);
        Assert.Equal(TdsTokens.Error, loginReply.Payload[0]);
        Assert.Equal(18456, BitConverter.ToInt32(loginReply.Payload, 3));
        // ERROR token: type, u16 length, i32 number, state, class, then the message as u16 count + UTF-16.
        Assert.Equal(14, loginReply.Payload[8]);
        var message = Encoding.Unicode.GetString(loginReply.Payload, 11, BitConverter.ToUInt16(loginReply.Payload, 9) * 2);
        Assert.Contains("only SQL authentication", message, StringComparison.Ordinal);
        Assert.Null(await reader.ReadMessageAsync(ct));
        Assert.Empty(server.Audit);
    }

    [Fact]
    public async Task Oversized_message_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var input = new MemoryStream();
        var packet = new byte[TdsPacketWriter.MaxPacketSize];
        // Non-EOM packets until just past the 4 MB cap.
        for (var written = 0; written <= TdsPacketReader.MaxMessageBytes; written += packet.Length - TdsPacketReader.HeaderLength)
        {
            packet[0] = (byte)TdsPacketType.SqlBatch;
            packet[1] = 0;
            packet[2] = (byte)(packet.Length >> 8);
            packet[3] = (byte)packet.Length;
            input.Write(packet);
        }

        input.Position = 0;
        var reader = new TdsPacketReader(input);

        await Assert.ThrowsAsync<TdsProtocolException>(() => reader.ReadMessageAsync(ct));
    }

    [Fact]
    public async Task Server_stops_accepting_after_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await TdsTestServers.StartAsync(ScriptedSqlHandler.Echo());
        var port = server.Port;
        await server.DisposeAsync();
        using var client = new TcpClient();

        await Assert.ThrowsAnyAsync<SocketException>(async () => await client.ConnectAsync("127.0.0.1", port, ct));
    }
}
