using Microsoft.Data.SqlClient;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.Tds;
using Xunit;

namespace OrchUpgradePrep.Tests.Sandbox.SqlServer;

/// <summary>A sandbox SQL Server in a temp folder, reached with the real Microsoft.Data.SqlClient over TCP.</summary>
internal sealed class SandboxSqlFixture : IAsyncDisposable
{
    public const string Password = "Fixture-Pw-1";

    private SandboxSqlFixture(SandboxSqlServer server, string root, string login)
    {
        Server = server;
        Root = root;
        Login = login;
    }

    /// <summary>The SQL login the fixture connects as (the profile's permission script decides what it may do).</summary>
    public string Login { get; }

    public SandboxSqlServer Server { get; }
    public string Root { get; }
    public SandboxSqlEngine Engine => Server.Engine;

    public static async Task<SandboxSqlFixture> StartAsync(SandboxSqlProfile? profile = null, TdsEncryptionMode encryption = TdsEncryptionMode.NotSupported, TimeProvider? time = null,
        OrchUpgradePrep.Sandbox.Orchestrator.SandboxOrchestrator? orchestrator = null, string login = SandboxSqlServerOptions.DefaultLogin,
        IReadOnlyList<string>? sharedDirectories = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "orchprep-sqltest-" + Guid.NewGuid().ToString("N")[..12]);
        var server = await SandboxSqlServer.StartAsync(
            profile ?? new SandboxSqlProfile { UsedDataBytes = 2L << 20, DelayPerChunk = TimeSpan.Zero },
            root,
            new SandboxSqlServerOptions { Encryption = encryption, Login = login, Password = Password, Orchestrator = orchestrator, SharedDirectories = sharedDirectories ?? [] },
            time ?? TimeProvider.System,
            TestContext.Current.CancellationToken);
        return new SandboxSqlFixture(server, root, login);
    }

    public SqlConfig Config(SqlEncrypt encrypt = SqlEncrypt.Optional, bool trust = false) => new()
    {
        Server = Server.DataSource,
        Database = Engine.Profile.DatabaseName,
        Auth = SqlAuth.Sql,
        User = Login,
        PasswordEnv = "FIXTURE_PW",
        Encrypt = encrypt,
        TrustServerCertificate = trust,
    };

    public SqlClientConnector Connector(SqlEncrypt encrypt = SqlEncrypt.Optional, bool trust = false, TimeSpan? queryTimeout = null) =>
        new(Config(encrypt, trust), name => name == "FIXTURE_PW" ? Password : null, queryTimeout: queryTimeout);

    public string ConnectionString(string encrypt = "Optional", bool trust = false, string? database = null) =>
        $"Data Source={Server.DataSource};Initial Catalog={database ?? Engine.Profile.DatabaseName};User ID={Login};Password={Password};Encrypt={encrypt};TrustServerCertificate={trust};Pooling=false;Connect Timeout=10";

    public async Task<SqlConnection> OpenAsync(string encrypt = "Optional", bool trust = false, string? database = null)
    {
        var connection = new SqlConnection(ConnectionString(encrypt, trust, database));
        try
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public string BackupPath(string name) => Path.Combine(Engine.BackupDirectory, name);

    public async ValueTask DisposeAsync()
    {
        var failures = Server.ConnectionFailures;
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        // A handler fault closes the socket: the client sees a transport error, the cause is here.
        Assert.True(failures.Count == 0, "sandbox connection failures: " + string.Join(" | ", failures));
    }
}
