namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>host.json cannot be read; the message names the file (and line and column when known).</summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException()
    {
    }

    public SnapshotFormatException(string message)
        : base(message)
    {
    }

    public SnapshotFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
