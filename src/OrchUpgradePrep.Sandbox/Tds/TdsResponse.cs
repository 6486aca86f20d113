namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Builds one request's token stream. The DONE that ends a statement is held back until the next token
/// or the end, so every DONE but the last gets the MORE flag; full packets go out as soon as they fill.
/// </summary>
internal sealed class TdsResponse(
    TdsPacketWriter writer,
    bool isRpc,
    string serverName,
    Func<string, string> switchDatabase,
    CancellationToken requestCancellation,
    CancellationToken connectionCancellation) : ITdsResponse
{
    private readonly TdsTokenBuffer _buffer = new();
    private TdsPendingDone? _pendingDone;
    private bool _errorSinceDone;
    private bool _anyError;

    public async Task SendResultSetAsync(IReadOnlyList<TdsColumn> columns, IEnumerable<IReadOnlyList<object?>> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        ThrowIfCancelled(cancellationToken);
        WritePendingDone();
        TdsValueEncoder.WriteColumnMetadata(_buffer, columns);
        long count = 0;
        foreach (var row in rows)
        {
            TdsValueEncoder.WriteRow(_buffer, columns, row);
            count++;
            if (_buffer.Length >= writer.PacketSize * 4)
            {
                ThrowIfCancelled(cancellationToken);
                await SendFullPacketsAsync();
            }
        }

        _pendingDone = new TdsPendingDone((ushort)(TdsTokens.DoneCount | TakeErrorFlag()), TdsTokens.CurCmdSelect, count);
    }

    public async Task SendInfoAsync(int number, byte state, byte severityClass, string message, CancellationToken cancellationToken)
    {
        ThrowIfCancelled(cancellationToken);
        WritePendingDone();
        TdsTokens.WriteMessage(_buffer, TdsTokens.Info, number, state, severityClass, message, serverName);
        await SendBufferedAsync(endOfMessage: false);
    }

    public async Task SendErrorAsync(int number, byte state, byte severityClass, string message, CancellationToken cancellationToken)
    {
        ThrowIfCancelled(cancellationToken);
        WriteError(number, state, severityClass, message);
        // Flushed like INFO: with FireInfoMessageEventOnUserErrors the client shows errors as they happen.
        await SendBufferedAsync(endOfMessage: false);
    }

    public Task SendDoneAsync(long? rowCount, CancellationToken cancellationToken)
    {
        ThrowIfCancelled(cancellationToken);
        WritePendingDone();
        var status = (ushort)((rowCount.HasValue ? TdsTokens.DoneCount : 0) | TakeErrorFlag());
        _pendingDone = new TdsPendingDone(status, 0, rowCount ?? 0);
        return Task.CompletedTask;
    }

    public Task ChangeDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ThrowIfCancelled(cancellationToken);
        WritePendingDone();
        var old = switchDatabase(database);
        TdsTokens.WriteEnvChange(_buffer, 1, database, old);
        return Task.CompletedTask;
    }

    /// <summary>Starts the response with the acknowledgement of a pooled connection's reset.</summary>
    public void AcknowledgeReset() => TdsTokens.WriteResetConnectionAck(_buffer);

    /// <summary>Ends the request: the last DONE (or RETURNSTATUS + DONEPROC for RPC) in the EOM packet.</summary>
    public async Task CompleteAsync()
    {
        requestCancellation.ThrowIfCancellationRequested();
        if (isRpc)
        {
            WritePendingDone();
            TdsTokens.WriteReturnStatus(_buffer, 0);
            TdsTokens.WriteDone(_buffer, TdsTokens.DoneProc, (ushort)(_anyError ? TdsTokens.DoneError : 0), 0, 0);
        }
        else if (_pendingDone is { } last)
        {
            TdsTokens.WriteDone(_buffer, TdsTokens.Done, last.Status, last.Command, last.Count);
            _pendingDone = null;
        }
        else
        {
            TdsTokens.WriteDone(_buffer, TdsTokens.Done, TakeErrorFlag(), 0, 0);
        }

        await SendBufferedAsync(endOfMessage: true);
    }

    /// <summary>Ends the request with an error the handler raised (or an internal one).</summary>
    public async Task FailAsync(int number, byte state, byte severityClass, string message, int lineNumber = 1)
    {
        WriteError(number, state, severityClass, message, lineNumber);
        await CompleteAsync();
    }

    private void WriteError(int number, byte state, byte severityClass, string message, int lineNumber = 1)
    {
        WritePendingDone();
        TdsTokens.WriteMessage(_buffer, TdsTokens.Error, number, state, severityClass, message, serverName, lineNumber);
        _errorSinceDone = true;
        _anyError = true;
    }

    private ushort TakeErrorFlag()
    {
        var flag = _errorSinceDone ? TdsTokens.DoneError : (ushort)0;
        _errorSinceDone = false;
        return flag;
    }

    /// <summary>A held DONE is followed by more tokens, so it is written with MORE (DONEINPROC inside an RPC).</summary>
    private void WritePendingDone()
    {
        if (_pendingDone is not { } done)
        {
            return;
        }

        TdsTokens.WriteDone(_buffer, isRpc ? TdsTokens.DoneInProc : TdsTokens.Done, (ushort)(done.Status | TdsTokens.DoneMore), done.Command, done.Count);
        _pendingDone = null;
    }

    private async Task SendFullPacketsAsync()
    {
        var bodyMax = writer.PacketSize - TdsPacketReader.HeaderLength;
        var full = _buffer.Length / bodyMax * bodyMax;
        if (full == 0)
        {
            return;
        }

        await writer.WriteAsync(TdsPacketType.TabularResult, _buffer.WrittenMemory[..full], endOfMessage: false, connectionCancellation);
        _buffer.Consume(full);
    }

    private async Task SendBufferedAsync(bool endOfMessage)
    {
        if (_buffer.Length == 0 && !endOfMessage)
        {
            return;
        }

        await writer.WriteAsync(TdsPacketType.TabularResult, _buffer.WrittenMemory, endOfMessage, connectionCancellation);
        _buffer.Clear();
    }

    private void ThrowIfCancelled(CancellationToken cancellationToken)
    {
        // After an attention nothing more may be written for this request: the client waits for DONE ATTN.
        requestCancellation.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
