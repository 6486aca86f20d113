namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Thrown by a handler to answer with the error SQL Server would raise (ERROR token + DONE with the error flag).
/// Class 11–19 becomes a SqlException on the client; 20+ also closes the connection.
/// </summary>
public sealed class SqlErrorException : Exception
{
    /// <param name="lineNumber">The batch line the error is reported on (SQL Server counts from 1, the batch's first line).</param>
    public SqlErrorException(int number, byte severityClass, byte state, string message, int lineNumber = 1)
        : base(message)
    {
        Number = number;
        SeverityClass = severityClass;
        State = state;
        LineNumber = lineNumber;
    }

    public int Number { get; }

    public byte SeverityClass { get; }

    public byte State { get; }

    public int LineNumber { get; }
}
