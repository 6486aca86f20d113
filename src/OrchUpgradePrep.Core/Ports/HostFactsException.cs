namespace OrchUpgradePrep.Ports;

/// <summary>A host fact could not be read (snapshot malformed, host unreachable, access denied).
/// Checks let it propagate; the runner turns it into status <c>error</c> with this message.</summary>
public sealed class HostFactsException : Exception
{
    public HostFactsException(string message)
        : base(message)
    {
    }

    public HostFactsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HostFactsException()
    {
    }
}
