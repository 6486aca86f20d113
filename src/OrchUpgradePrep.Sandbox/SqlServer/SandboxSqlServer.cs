using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>How the sandbox's SQL Server listens (127.0.0.1 only) and whom it lets in.</summary>
public sealed record SandboxSqlServerOptions
{
    public const string DefaultLogin = "orchprep";
    public const string DefaultPassword = "sandbox";

    public int Port { get; init; }
    public TdsEncryptionMode Encryption { get; init; } = TdsEncryptionMode.LoginOnly;
    public string Login { get; init; } = DefaultLogin;
    public string Password { get; init; } = DefaultPassword;

    /// <summary>Delay before each statement is answered (the slow scenario).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Where the database files go; null = under the root (see <see cref="SandboxSqlEngine"/>).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The simulated Orchestrator whose tables the Orchestrator database holds; null = a database without them (208).</summary>
    public Orchestrator.SandboxOrchestrator? Orchestrator { get; init; }

    /// <summary>Folders of another instance this one reads as if through a UNC share (a restore server that reaches the
    /// Orchestrator server's backup folder); read-only: BACKUP to them is refused as outside its rights.</summary>
    public IReadOnlyList<string> SharedDirectories { get; init; } = [];
}

/// <summary>The simulated SQL Server: a <see cref="TdsServer"/> on loopback in front of a <see cref="SandboxSqlEngine"/>.
/// Its audit log holds every statement received, so tests can prove what a mode sent.</summary>
public sealed class SandboxSqlServer : IAsyncDisposable
{
    private readonly TdsServer _server;

    private SandboxSqlServer(TdsServer server, SandboxSqlEngine engine)
    {
        _server = server;
        Engine = engine;
    }

    public SandboxSqlEngine Engine { get; }

    public int Port => _server.Port;

    /// <summary>"127.0.0.1,PORT", as a connection string's Data Source.</summary>
    public string DataSource => $"127.0.0.1,{Port}";

    public IReadOnlyList<SqlRequest> Audit => _server.Audit;

    /// <summary>Handler or protocol faults that closed a connection (a dropped-connection scenario is not one): tests assert none.</summary>
    public IReadOnlyList<Exception> ConnectionFailures => _server.ConnectionFailures;

    public static async Task<SandboxSqlServer> StartAsync(SandboxSqlProfile profile, string rootDirectory, SandboxSqlServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        var engine = new SandboxSqlEngine(profile, rootDirectory, time, options.Orchestrator, options.DataDirectory) { SharedDirectories = options.SharedDirectories };
        var server = await TdsServer.StartAsync(
            new TdsServerOptions
            {
                Port = options.Port,
                Encryption = options.Encryption,
                Login = options.Login,
                Password = options.Password,
                InitialDatabase = "master",
                DatabaseExists = name => engine.Database(name) is not null,
                MayOpenDatabase = engine.Permissions.MayAccess,
                ServerName = profile.ServerName,
                Latency = options.Latency,
                Time = time,
            },
            engine,
            cancellationToken);
        return new SandboxSqlServer(server, engine);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
