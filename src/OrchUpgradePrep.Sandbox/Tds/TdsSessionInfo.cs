namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>The session a request runs in, as it was when the request arrived.</summary>
public sealed record TdsSessionInfo(int ConnectionId, string Login, string Database, string ApplicationName, string HostName)
{
    /// <summary>The connection's SET options: shared by all its requests (a SET lasts until changed or reset).</summary>
    public TdsSessionOptions Options { get; init; } = new();
}
