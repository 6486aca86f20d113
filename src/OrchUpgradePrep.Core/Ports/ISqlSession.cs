namespace OrchUpgradePrep.Ports;

/// <summary>
/// Opens sessions to the environment's Orchestrator database server. Checks and preparation steps each open
/// their own session (a connection is not shared across concurrent checks); the adapter pools them.
/// </summary>
public interface ISqlConnector
{
    /// <summary>"sql01.contoso.local,1433 / Orchestrator", for evidence. Never contains a password.</summary>
    string Description { get; }

    /// <summary>Throws <see cref="SqlSessionException"/> when the server cannot be reached or the login fails.</summary>
    Task<ISqlSession> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Connects once with encryption mandatory and the server's certificate validated by this machine, whatever the
    /// config's <c>encrypt</c>/<c>trustServerCertificate</c> say — the connection OLE DB Driver 19 makes by default.
    /// A connector that cannot make such a connection says so (<see cref="SqlCertificateTrustOutcome.NotProbed"/>).
    /// </summary>
    Task<SqlCertificateTrust> ProbeCertificateTrustAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new SqlCertificateTrust(SqlCertificateTrustOutcome.NotProbed, $"{Description} cannot be asked for its certificate"));
}

public enum SqlCertificateTrustOutcome
{
    /// <summary>The TLS handshake validated the server's certificate (a login failing after it still proves this).</summary>
    Trusted,

    /// <summary>The handshake failed on the certificate: its chain, its name or its dates.</summary>
    Untrusted,

    /// <summary>The server offers no encryption at all (PRELOGIN ENCRYPT_NOT_SUP), so a client that requires it cannot connect.</summary>
    EncryptionRefused,

    /// <summary>The server could not be reached, or the handshake failed for another reason: nothing proven.</summary>
    Unreachable,

    NotProbed,
}

/// <summary>What <see cref="ISqlConnector.ProbeCertificateTrustAsync"/> found, with the client's own words in <paramref name="Detail"/>.</summary>
public sealed record SqlCertificateTrust(SqlCertificateTrustOutcome Outcome, string Detail);

/// <summary>One open connection. Every call has a timeout and honours cancellation (an attention is sent).</summary>
public interface ISqlSession : IAsyncDisposable
{
    /// <summary>Runs a read-only query and returns every row of its first result set.</summary>
    Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken);

    /// <summary>Runs a statement that reports progress in messages (BACKUP, RESTORE, DBCC): every message is
    /// collected and passed to <paramref name="onMessage"/> as it arrives; a message of class ≥ 11 fails the call
    /// with <see cref="SqlSessionException"/> holding all of them.</summary>
    Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken);
}

/// <summary>One row, read by column name (case-insensitive); DBNull is null.</summary>
public sealed class SqlRow
{
    private readonly Dictionary<string, object?> _values;

    public SqlRow(IEnumerable<KeyValuePair<string, object?>> values) =>
        _values = new Dictionary<string, object?>(values, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Columns => _values.Keys;

    public object? this[string column] =>
        _values.TryGetValue(column, out var value) ? value : throw new KeyNotFoundException($"the result has no column '{column}'");

    public string? String(string column) => this[column]?.ToString();

    /// <summary>A bit (or 0/1 integer) column as a flag; NULL is false.</summary>
    public bool Flag(string column) =>
        this[column] is { } value && (value is bool flag ? flag : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0);

    public long? Int64(string column) => this[column] is { } value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>A message the server sent (INFO or ERROR token). Class ≥ 11 is an error.</summary>
public sealed record SqlMessage(int Number, byte Class, byte State, string Text)
{
    public bool IsError => Class >= 11;

    public override string ToString() => $"Msg {Number}, Level {Class}, State {State}: {Text}";
}

/// <summary>What a message-reporting statement produced.</summary>
public sealed record SqlExecution(IReadOnlyList<SqlMessage> Messages, TimeSpan Elapsed);

/// <summary>The server refused or failed a call; <see cref="Messages"/> holds every message it sent (e.g. 3201 then 3013).</summary>
public sealed class SqlSessionException : Exception
{
    public SqlSessionException(string message, IReadOnlyList<SqlMessage> messages, Exception? innerException = null)
        : base(message, innerException) => Messages = messages;

    public SqlSessionException()
        : this("SQL call failed", [])
    {
    }

    public SqlSessionException(string message)
        : this(message, [])
    {
    }

    public SqlSessionException(string message, Exception innerException)
        : this(message, [], innerException)
    {
    }

    public IReadOnlyList<SqlMessage> Messages { get; }

    /// <summary>The first error's number (18456 login failed, 208 invalid object, -2 timeout), or 0.</summary>
    public int Number => Messages.FirstOrDefault(m => m.IsError)?.Number ?? 0;
}
