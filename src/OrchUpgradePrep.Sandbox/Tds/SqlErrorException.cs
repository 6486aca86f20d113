namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>
/// Thrown by a handler to answer with the error SQL Server would raise (ERROR token + DONE with the error flag).
/// Class 11–19 becomes a SqlException on the client; 20+ also closes the connection.
/// </summary>
public sealed class SqlErrorException : Exception
{
    public SqlErrorException(int number, byte severityClass, byte state, string message)
        : base(message)
    {
        Number = number;
        SeverityClass = severityClass;
        State = state;
    }

    public int Number { get; }

    public byte SeverityClass { get; }

    public byte State { get; }
}
