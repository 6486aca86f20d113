namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>What a handler can send back for one request, in the order it is called.</summary>
public interface ITdsResponse
{
    /// <summary>Sends a result set followed by its DONE (row count, SELECT).</summary>
    Task SendResultSetAsync(IReadOnlyList<TdsColumn> columns, IEnumerable<IReadOnlyList<object?>> rows, CancellationToken cancellationToken);

    /// <summary>Sends an informational message (class ≤ 10) and flushes it at once, so progress is seen live.</summary>
    Task SendInfoAsync(int number, byte state, byte severityClass, string message, CancellationToken cancellationToken);

    /// <summary>Sends an error message without ending the request; the next DONE carries the error flag.</summary>
    Task SendErrorAsync(int number, byte state, byte severityClass, string message, CancellationToken cancellationToken);

    /// <summary>Ends a statement that returned no rows; <paramref name="rowCount"/> is "rows affected" when given.</summary>
    Task SendDoneAsync(long? rowCount, CancellationToken cancellationToken);

    /// <summary>Switches the session's database and tells the client (ENVCHANGE).</summary>
    Task ChangeDatabaseAsync(string database, CancellationToken cancellationToken);
}
