using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Tests.Fakes;

/// <summary>A SQL Server that answers scripted queries. A query nobody scripted fails loudly, as the sandbox's
/// server does (error 208), so a check that sends something unexpected fails its test. Records every call.</summary>
internal sealed class FakeSqlConnector : ISqlConnector
{
    private readonly List<(Func<string, bool> Matches, Func<IReadOnlyDictionary<string, object?>?, IReadOnlyList<SqlRow>> Answer)> _answers = [];

    public string Description => "fake-sql01 / Orchestrator";

    public List<string> Received { get; } = [];

    public Exception? FailOpen { get; set; }

    /// <summary>What <see cref="ProbeCertificateTrustAsync"/> answers; null = the port's default (not probed).</summary>
    public SqlCertificateTrust? CertificateTrust { get; set; }

    public int CertificateProbes { get; private set; }

    public Task<SqlCertificateTrust> ProbeCertificateTrustAsync(CancellationToken cancellationToken)
    {
        CertificateProbes++;
        return Task.FromResult(CertificateTrust ?? new SqlCertificateTrust(SqlCertificateTrustOutcome.NotProbed, $"{Description} cannot be asked for its certificate"));
    }

    private readonly List<(string Contains, SqlMessage[] Messages, bool Fail)> _executions = [];

    /// <summary>A message-reporting statement containing <paramref name="contains"/> succeeds with these messages.</summary>
    public FakeSqlConnector Execute(string contains, params SqlMessage[] messages)
    {
        _executions.Add((contains, messages, false));
        return this;
    }

    /// <summary>A statement containing <paramref name="contains"/> fails with these messages (as SqlClient reports class ≥ 11).</summary>
    public FakeSqlConnector ExecuteFails(string contains, params SqlMessage[] messages)
    {
        _executions.Add((contains, messages, true));
        return this;
    }

    public FakeSqlConnector Answer(string queryContains, params SqlRow[] rows)
    {
        _answers.Add((q => q.Contains(queryContains, StringComparison.Ordinal), _ => rows));
        return this;
    }

    /// <summary>A query containing <paramref name="queryContains"/> fails with these messages (e.g. 297/300 access denied, 207 a missing column).</summary>
    public FakeSqlConnector AnswerFails(string queryContains, params SqlMessage[] messages)
    {
        _answers.Add((q => q.Contains(queryContains, StringComparison.Ordinal), _ => throw new SqlSessionException(messages.First(m => m.IsError).Text, messages)));
        return this;
    }

    /// <summary>Appends <paramref name="other"/>'s answers after this one's (the first match answers).</summary>
    public FakeSqlConnector Then(FakeSqlConnector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _answers.AddRange(other._answers);
        return this;
    }

    public FakeSqlConnector ServerProperties(string version = "15.0.4382.1", string edition = "Standard Edition (64-bit)", int engineEdition = 2, string collation = "SQL_Latin1_General_CP1_CI_AS", string level = "RTM") =>
        Answer("SERVERPROPERTY('ProductVersion')", Row(("ProductVersion", version), ("ProductLevel", level), ("Edition", edition), ("EngineEdition", engineEdition), ("Collation", collation)));

    public static SqlRow Row(params (string Column, object? Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, object?>(v.Column, v.Value)));

    public Task<ISqlSession> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return FailOpen is null ? Task.FromResult<ISqlSession>(new Session(this)) : Task.FromException<ISqlSession>(FailOpen);
    }

    private sealed class Session(FakeSqlConnector server) : ISqlSession
    {
        public Task<IReadOnlyList<SqlRow>> QueryAsync(string sql, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (server.Received)
            {
                server.Received.Add(sql);
            }

            var answer = server._answers.FirstOrDefault(a => a.Matches(sql)).Answer
                ?? throw new SqlSessionException($"Invalid object name in: {sql}", [new SqlMessage(208, 16, 1, "Invalid object name.")]);
            return Task.FromResult(answer(parameters));
        }

        public Task<SqlExecution> ExecuteAsync(string sql, TimeSpan timeout, Action<SqlMessage>? onMessage, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (server.Received)
            {
                server.Received.Add(sql);
            }

            var script = server._executions.FirstOrDefault(e => sql.Contains(e.Contains, StringComparison.Ordinal));
            if (script.Messages is null)
            {
                throw new SqlSessionException($"not scripted: {sql}", [new SqlMessage(102, 15, 1, "Incorrect syntax.")]);
            }

            foreach (var message in script.Messages)
            {
                onMessage?.Invoke(message);
            }

            return script.Fail
                ? Task.FromException<SqlExecution>(new SqlSessionException(script.Messages.First(m => m.IsError).Text, script.Messages))
                : Task.FromResult(new SqlExecution(script.Messages, TimeSpan.FromMilliseconds(1)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
