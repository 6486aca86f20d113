using System.Diagnostics;
using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Sql;

/// <summary>One open SqlClient connection. Cancellation and CommandTimeout make SqlClient send an attention.</summary>
internal sealed class SqlClientSession : ISqlSession
{
    private readonly SqlConnection _connection;
    private readonly TimeSpan _queryTimeout;

    public SqlClientSession(SqlConnection connection, TimeSpan queryTimeout)
    {
        _connection = connection;
        _queryTimeout = queryTimeout;
    }

    public async Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, _queryTimeout);
        foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<SqlRow>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new KeyValuePair<string, object?>[reader.FieldCount];
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    values[i] = new(reader.GetName(i), reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                rows.Add(new SqlRow(values));
            }

            return rows;
        }
        catch (SqlException ex) when (cancellationToken.IsCancellationRequested)
        {
            // SqlClient reports a cancel as "Operation cancelled by user": it is the caller's cancellation, not a server error.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (SqlException ex)
        {
            throw Translate("query failed", ex, login: Login);
        }
    }

    /// <summary>How long a cancelled statement has to reach its next message before Cancel() is tried from outside.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(15);

    private static async Task CancelLaterAsync(SqlCommand command)
    {
        await Task.Delay(CancelGrace).ConfigureAwait(false);
        try
        {
            command.Cancel();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The statement ended meanwhile.
        }
    }

    public async Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken)
    {
        var messages = new List<SqlMessage>();
        SqlCommand? running = null;
        void Collect(object? sender, SqlInfoMessageEventArgs e)
        {
            // The cancel is sent from here, SqlClient's own reading thread: a Cancel() from another thread (Ctrl+C's)
            // while a statement streams messages sends no ATTENTION, and a long BACKUP would run to its end
            // (docs/reliability.md). So a BACKUP stops at its next STATS message after the cancel.
            if (cancellationToken.IsCancellationRequested)
            {
                Volatile.Read(ref running)?.Cancel();
            }

            foreach (SqlError error in e.Errors)
            {
                var message = new SqlMessage(error.Number, error.Class, error.State, error.Message);
                lock (messages)
                {
                    messages.Add(message);
                }

                onMessage?.Invoke(message);
            }
        }

        // Per-token delivery (live STATS progress) — but then class ≤ 16 errors arrive as events, not exceptions,
        // so every message is collected and judged here (docs/facts/sql-backup.md#messages).
        _connection.FireInfoMessageEventOnUserErrors = true;
        _connection.InfoMessage += Collect;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using var command = Command(sql, timeout);
            Volatile.Write(ref running, command);
            // Not given the token: SqlClient's own registration would mark the cancel pending without sending it, and
            // the Cancel() above would then do nothing. A statement that sends no message meanwhile is cancelled
            // from here after a grace period, best effort.
            using var fallback = cancellationToken.Register(() => _ = CancelLaterAsync(command));
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqlException ex) when (cancellationToken.IsCancellationRequested)
        {
            // SqlClient reports a cancel as "Operation cancelled by user": it is the caller's cancellation, not a server error.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (SqlException ex)
        {
            throw Translate("statement failed", ex, messages, Login);
        }
        finally
        {
            _connection.InfoMessage -= Collect;
            _connection.FireInfoMessageEventOnUserErrors = false;
        }

        SqlMessage[] all;
        lock (messages)
        {
            all = [.. messages];
        }

        if (all.FirstOrDefault(m => m.IsError) is { } first)
        {
            throw new SqlSessionException($"statement failed: Msg {first.Number}: {first.Text}{Advice(all, Login)}", all);
        }

        return new SqlExecution(all, stopwatch.Elapsed);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <param name="login">The SQL login (for the GRANT a permission refusal names); null under integrated auth.</param>
    internal static SqlSessionException Translate(string what, SqlException ex, IReadOnlyList<SqlMessage>? earlier = null, string? login = null)
    {
        var messages = (earlier ?? []).Concat(ex.Errors.Cast<SqlError>().Select(e => new SqlMessage(e.Number, e.Class, e.State, e.Message))).ToArray();
        var reason = ex.Number == -2 ? "timed out (the server was sent an attention)" : ex.Message;
        return new SqlSessionException($"{what}: {reason}{Advice(messages, login)}", messages, ex);
    }

    /// <summary>" — the login lacks SELECT on … GRANT …" for a permission refusal (229, 262, 916, 4060 …), else nothing.</summary>
    private static string Advice(IReadOnlyList<SqlMessage> messages, string? login) =>
        SqlPermissionAdvice.For(messages, login) is { } advice ? " — " + advice : string.Empty;

    /// <summary>The SQL login of the connection string (empty under integrated auth).</summary>
    private string? Login => new SqlConnectionStringBuilder(_connection.ConnectionString).UserID is { Length: > 0 } user ? user : null;

    private SqlCommand Command(string sql, TimeSpan timeout) => new(sql, _connection)
    {
        CommandTimeout = timeout == Timeout.InfiniteTimeSpan ? 0 : Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
    };
}
