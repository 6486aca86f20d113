namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>Thrown by a handler to simulate a network failure: the server closes the socket at once, mid-response,
/// as a crashed server or a cut network would. Not recorded as a server failure.</summary>
public sealed class SqlConnectionDroppedException : IOException
{
    public SqlConnectionDroppedException()
        : base("sandbox: connection dropped on purpose")
    {
    }

    public SqlConnectionDroppedException(string message)
        : base(message)
    {
    }

    public SqlConnectionDroppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
