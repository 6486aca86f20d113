namespace OrchUpgradePrep.Sandbox.Tds;

/// <summary>How a <see cref="TdsServer"/> listens and whom it lets in.</summary>
public sealed record TdsServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks an ephemeral one (see <see cref="TdsServer.Port"/>).</summary>
    public int Port { get; init; }

    public TdsEncryptionMode Encryption { get; init; } = TdsEncryptionMode.NotSupported;

    /// <summary>The only SQL login accepted.</summary>
    public required string Login { get; init; }

    public required string Password { get; init; }

    /// <summary>Database a session starts in unless LOGIN7 names another.</summary>
    public string InitialDatabase { get; init; } = "master";

    /// <summary>Whether a database a LOGIN7 names exists; null accepts any. Unknown → 4060 + 18456, as SQL Server answers.</summary>
    public Func<string, bool>? DatabaseExists { get; init; }

    /// <summary>Whether the login (first argument) may open the database it asks for at login; a refusal is 4060 + 18456,
    /// as for a database that does not exist. Null = any.</summary>
    public Func<string, string, bool>? MayOpenDatabase { get; init; }

    /// <summary>Name put into INFO/ERROR tokens as the server that raised them.</summary>
    public string ServerName { get; init; } = "SANDBOX";

    /// <summary>Connections served at once; further clients wait in the listen backlog.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Delay before each request reaches the handler, to mimic a slow server.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
