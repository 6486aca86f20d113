using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>One client: PRELOGIN, optional TLS, LOGIN7, then requests until the client leaves.</summary>
internal sealed class TdsConnection(
    Stream network,
    int connectionId,
    TdsServerOptions options,
    ISqlBatchHandler handler,
    X509Certificate2? certificate,
    Action<SqlRequest> onRequest)
{
    /// <summary>A generous cap so the request loop is bounded.</summary>
    private const long MaxRequestsPerConnection = 100_000_000;

    private const int LoginFailedNumber = 18456;
    private const int InternalErrorNumber = 50000;

    private TdsPacketReader _reader = new(network);
    private string _database = options.InitialDatabase;
    private string _loginDatabase = options.InitialDatabase;
    private string _login = string.Empty;
    private string _applicationName = string.Empty;
    private string _hostName = string.Empty;
    private readonly TdsSessionOptions _sessionOptions = new();

    private enum TlsUse
    {
        None,
        LoginOnly,
        Full,
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var writer = new TdsPacketWriter(network, connectionId);
        SslStream? ssl = null;
        try
        {
            var tls = await NegotiatePreLoginAsync(writer, cancellationToken);
            if (tls == null)
            {
                return;
            }

            if (tls != TlsUse.None)
            {
                ssl = await StartTlsAsync(cancellationToken);
                _reader = new TdsPacketReader(ssl);
                writer.Stream = ssl;
            }

            var loginMessage = await _reader.ReadMessageAsync(cancellationToken);
            if (loginMessage is null)
            {
                return;
            }

            if (loginMessage.Type != TdsPacketType.Login7)
            {
                throw new TdsProtocolException($"expected LOGIN7, got packet type 0x{(byte)loginMessage.Type:X2}");
            }

            if (tls == TlsUse.LoginOnly)
            {
                // ENCRYPT_OFF: only LOGIN7 rode inside TLS; both sides go back to plaintext now.
                _reader = new TdsPacketReader(network);
                writer.Stream = network;
            }

            if (await LoginAsync(Login7Request.Parse(loginMessage.Payload), writer, cancellationToken))
            {
                await ServeRequestsAsync(writer, cancellationToken);
            }
        }
        finally
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }
        }
    }

    /// <returns>How TLS is used, or null when the client cannot meet the server's requirement.</returns>
    private async Task<TlsUse?> NegotiatePreLoginAsync(TdsPacketWriter writer, CancellationToken cancellationToken)
    {
        var preLogin = await _reader.ReadMessageAsync(cancellationToken);
        if (preLogin is null)
        {
            return null;
        }

        if (preLogin.Type != TdsPacketType.PreLogin)
        {
            throw new TdsProtocolException($"expected PRELOGIN, got packet type 0x{(byte)preLogin.Type:X2}");
        }

        var client = PreLoginMessage.ReadClientEncryption(preLogin.Payload);
        var clientWantsTls = client is PreLoginMessage.EncryptOn or PreLoginMessage.EncryptRequired;
        var clientCanTls = client != PreLoginMessage.EncryptNotSupported;
        (byte answer, TlsUse? use) = options.Encryption switch
        {
            TdsEncryptionMode.NotSupported => (PreLoginMessage.EncryptNotSupported, TlsUse.None),
            TdsEncryptionMode.LoginOnly when clientWantsTls => (PreLoginMessage.EncryptOn, TlsUse.Full),
            TdsEncryptionMode.LoginOnly when clientCanTls => (PreLoginMessage.EncryptOff, TlsUse.LoginOnly),
            TdsEncryptionMode.LoginOnly => (PreLoginMessage.EncryptNotSupported, TlsUse.None),
            _ when clientWantsTls => (PreLoginMessage.EncryptOn, TlsUse.Full),
            // A client that said OFF only upgrades to full TLS on REQ; it would ignore ON and stay plaintext.
            _ when clientCanTls => (PreLoginMessage.EncryptRequired, TlsUse.Full),
            _ => (PreLoginMessage.EncryptRequired, (TlsUse?)null),
        };
        await writer.WriteAsync(TdsPacketType.TabularResult, PreLoginMessage.BuildResponse(answer), endOfMessage: true, cancellationToken);
        return use;
    }

    private async Task<SslStream> StartTlsAsync(CancellationToken cancellationToken)
    {
        var handshake = new TdsTlsHandshakeStream(network);
        var ssl = new SslStream(handshake, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate ?? throw new InvalidOperationException("TLS requested without a certificate"),
                    // TLS 1.3 post-handshake messages break TDS 7.x framing (docs/facts/sql-backup.md#sandbox-tds), so 1.2 only.
                    EnabledSslProtocols = SslProtocols.Tls12,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken);
            handshake.CompleteHandshake();
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    /// <returns>Whether the login succeeded and requests may follow.</returns>
    private async Task<bool> LoginAsync(Login7Request login, TdsPacketWriter writer, CancellationToken cancellationToken)
    {
        var buffer = new TdsTokenBuffer();
        string? failure = null;
        if (login.IntegratedSecurity)
        {
            failure = "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication. (sandbox: only SQL authentication is supported)";
        }
        else if (!string.Equals(login.UserName, options.Login, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(login.Password, options.Password, StringComparison.Ordinal))
        {
            failure = $"Login failed for user '{login.UserName}'.";
        }

        else if (!string.IsNullOrEmpty(login.Database)
            && ((options.DatabaseExists is { } exists && !exists(login.Database)) || (options.MayOpenDatabase is { } mayOpen && !mayOpen(login.UserName, login.Database))))
        {
            // Real SQL Server: 4060 (class 11) names the database, then 18456 says the login failed.
            TdsTokens.WriteMessage(buffer, TdsTokens.Error, 4060, 1, 11, $"Cannot open database \"{login.Database}\" requested by the login. The login failed.", options.ServerName);
            failure = $"Login failed for user '{login.UserName}'.";
        }

        if (failure is not null)
        {
            TdsTokens.WriteMessage(buffer, TdsTokens.Error, LoginFailedNumber, 1, 14, failure, options.ServerName);
            TdsTokens.WriteDone(buffer, TdsTokens.Done, TdsTokens.DoneError, 0, 0);
            await writer.WriteAsync(TdsPacketType.TabularResult, buffer.WrittenMemory, endOfMessage: true, cancellationToken);
            return false;
        }

        _login = login.UserName;
        _applicationName = login.ApplicationName;
        _hostName = login.HostName;
        if (!string.IsNullOrEmpty(login.Database))
        {
            _database = login.Database;
        }

        _loginDatabase = _database;

        var packetSize = login.PacketSize == 0
            ? TdsPacketWriter.DefaultPacketSize
            : Math.Clamp(login.PacketSize, TdsPacketWriter.MinPacketSize, TdsPacketWriter.MaxPacketSize);
        TdsTokens.WriteEnvChange(buffer, 1, _database, "master");
        TdsTokens.WriteMessage(buffer, TdsTokens.Info, 5701, 2, 0, $"Changed database context to '{_database}'.", options.ServerName);
        TdsTokens.WriteCollationChange(buffer);
        TdsTokens.WriteEnvChange(buffer, 2, "us_english", string.Empty);
        TdsTokens.WriteMessage(buffer, TdsTokens.Info, 5703, 1, 0, "Changed language setting to us_english.", options.ServerName);
        TdsTokens.WriteLoginAck(buffer);
        TdsTokens.WriteEnvChange(buffer, 4, packetSize.ToString(CultureInfo.InvariantCulture), TdsPacketWriter.DefaultPacketSize.ToString(CultureInfo.InvariantCulture));
        TdsTokens.WriteDone(buffer, TdsTokens.Done, 0, 0, 0);
        await writer.WriteAsync(TdsPacketType.TabularResult, buffer.WrittenMemory, endOfMessage: true, cancellationToken);
        // The login response went out in default-size packets; everything after uses the negotiated size.
        writer.PacketSize = packetSize;
        return true;
    }

    /// <summary>
    /// Runs requests one at a time while still reading, so an ATTENTION arriving mid-request cancels the
    /// handler; the reply to attention is DONE with the ATTN flag and the connection stays usable.
    /// </summary>
    private async Task ServeRequestsAsync(TdsPacketWriter writer, CancellationToken cancellationToken)
    {
        var next = _reader.ReadMessageAsync(cancellationToken);
        for (long handled = 0; handled < MaxRequestsPerConnection; handled++)
        {
            var message = await next;
            if (message is null)
            {
                return;
            }

            if (message.Type == TdsPacketType.Attention)
            {
                await WriteAttentionAckAsync(writer, cancellationToken);
                next = _reader.ReadMessageAsync(cancellationToken);
                continue;
            }

            if (message.Type is not (TdsPacketType.SqlBatch or TdsPacketType.Rpc))
            {
                throw new TdsProtocolException($"unexpected packet type 0x{(byte)message.Type:X2} after login");
            }

            next = _reader.ReadMessageAsync(cancellationToken);
            using var requestCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var run = ExecuteRequestAsync(message, writer, requestCancellation.Token, cancellationToken);
            var first = await Task.WhenAny(run, next);
            if (first == run)
            {
                if (!await run)
                {
                    return;
                }

                continue;
            }

            // The client spoke while the handler ran: attention, a closed socket, the next request, or a protocol fault.
            TdsMessage? interrupt;
            try
            {
                interrupt = await next;
            }
            catch
            {
                await requestCancellation.CancelAsync();
                await run;
                throw;
            }

            if (interrupt is not null && interrupt.Type is TdsPacketType.SqlBatch or TdsPacketType.Rpc)
            {
                // Without MARS a client sends its next request only after it has read the final DONE of this one: the
                // handler has written everything and is only unwinding. Let it finish, then serve the new request.
                if (!await run)
                {
                    return;
                }

                next = Task.FromResult<TdsMessage?>(interrupt);
                continue;
            }

            await requestCancellation.CancelAsync();
            await run;
            if (interrupt is null)
            {
                return;
            }

            if (interrupt.Type != TdsPacketType.Attention)
            {
                throw new TdsProtocolException($"unexpected packet type 0x{(byte)interrupt.Type:X2} after login");
            }

            await WriteAttentionAckAsync(writer, cancellationToken);
            next = _reader.ReadMessageAsync(cancellationToken);
        }
    }

    private static async Task WriteAttentionAckAsync(TdsPacketWriter writer, CancellationToken cancellationToken)
    {
        var buffer = new TdsTokenBuffer();
        TdsTokens.WriteDone(buffer, TdsTokens.Done, TdsTokens.DoneAttention, 0, 0);
        await writer.WriteAsync(TdsPacketType.TabularResult, buffer.WrittenMemory, endOfMessage: true, cancellationToken);
    }

    /// <returns>False when the error was fatal (class 20+) and the connection must close.</returns>
    private async Task<bool> ExecuteRequestAsync(TdsMessage message, TdsPacketWriter writer, CancellationToken requestCancellation, CancellationToken connectionCancellation)
    {
        var isRpc = message.Type == TdsPacketType.Rpc;
        var response = new TdsResponse(writer, isRpc, options.ServerName, SwitchDatabase, requestCancellation, connectionCancellation);
        if (message.ResetConnection)
        {
            // sp_reset_connection semantics that matter here: back to the database the login chose.
            _database = _loginDatabase;
            _sessionOptions.Reset();
            response.AcknowledgeReset();
        }

        try
        {
            var request = BuildRequest(message, options.Time.GetUtcNow());
            onRequest(request);
            if (options.Latency > TimeSpan.Zero)
            {
                await Task.Delay(options.Latency, options.Time, requestCancellation);
            }

            await handler.ExecuteAsync(request, response, requestCancellation);
            await response.CompleteAsync();
            return true;
        }
        catch (OperationCanceledException) when (requestCancellation.IsCancellationRequested)
        {
            // Attention or shutdown: the caller answers (DONE ATTN) or closes; nothing more for this request.
            return true;
        }
        catch (SqlErrorException error)
        {
            await response.FailAsync(error.Number, error.State, error.SeverityClass, error.Message, error.LineNumber);
            return error.SeverityClass < 20;
        }
        catch (Exception error) when (error is not IOException)
        {
            // Never let a handler bug look like success.
            await response.FailAsync(InternalErrorNumber, 1, 16, $"sandbox: internal error: {error.GetType().Name}: {error.Message}");
            return true;
        }
    }

    private SqlRequest BuildRequest(TdsMessage message, DateTimeOffset receivedAt)
    {
        var session = new TdsSessionInfo(connectionId, _login, _database, _applicationName, _hostName) { Options = _sessionOptions };
        if (message.Type == TdsPacketType.SqlBatch)
        {
            var empty = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            return new SqlRequest(SqlRequestKind.Batch, SqlBatchParser.ReadBatchText(message.Payload), empty, session, null, receivedAt);
        }

        var call = SqlBatchParser.ReadRpc(message.Payload);
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (call.ProcId == RpcCall.ExecuteSqlProcId)
        {
            // sp_executesql: @stmt, then @params (the declaration list), then the user's values.
            var statement = call.Parameters.Count > 0 ? call.Parameters[0].Value as string ?? string.Empty : string.Empty;
            AddParameters(parameters, call.Parameters.Skip(2));
            return new SqlRequest(SqlRequestKind.ExecuteSql, statement, parameters, session, call.ProcName, receivedAt);
        }

        AddParameters(parameters, call.Parameters);
        return new SqlRequest(SqlRequestKind.ProcedureCall, call.ProcName, parameters, session, call.ProcName, receivedAt);
    }

    private static void AddParameters(Dictionary<string, object?> target, IEnumerable<RpcParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            // Positional parameters have no name; number them so none is lost.
            var name = parameter.Name.Length > 0 ? parameter.Name : $"@{target.Count + 1}";
            target[name] = parameter.Value;
        }
    }

    private string SwitchDatabase(string database)
    {
        var old = _database;
        _database = database;
        return old;
    }
}
