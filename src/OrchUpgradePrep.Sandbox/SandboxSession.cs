using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Host;
using OrchUpgradePrep.Prepare.Backup;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.SqlServer;

namespace OrchUpgradePrep.Sandbox;

/// <summary>
/// A running simulated environment: the scenario's hosts written as snapshot folders, the environment
/// config that points at them, and the host-facts source that reads them with the real snapshot reader.
/// </summary>
public sealed class SandboxSession : IAsyncDisposable
{
    public const string EnvironmentName = "sandbox";

    private readonly bool _ownsDirectory;

    public const string PasswordVariable = "ORCHPREP_SANDBOX_PASSWORD";

    private SandboxSession(string directory, bool ownsDirectory, EnvironmentConfig environment, IHostFactsSource hostFacts, string scenario, SandboxSqlServer sqlServer)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Environment = environment;
        HostFacts = hostFacts;
        Scenario = scenario;
        SqlServer = sqlServer;
    }

    /// <summary>The simulated SQL Server holding the Orchestrator database (listening on 127.0.0.1 until disposed).</summary>
    public SandboxSqlServer SqlServer { get; }

    public string Directory { get; }

    public string Scenario { get; }

    public EnvironmentConfig Environment { get; }

    public IHostFactsSource HostFacts { get; }

    /// <summary>Writes the scenario into <paramref name="directory"/> (a new temp folder, removed on dispose, when null).</summary>
    /// <param name="sqlPassword">The SQL login's password (ORCHPREP_SANDBOX_PASSWORD, default "sandbox").</param>
    /// <param name="sqlPort">0 picks a free port.</param>
    public static async Task<SandboxSession> StartAsync(string scenarioName, TimeProvider time, CancellationToken cancellationToken, string? directory = null,
        string sqlPassword = SandboxSqlServerOptions.DefaultPassword, int sqlPort = 0)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(sqlPassword);
        var scenario = SandboxScenarios.Find(scenarioName);
        var ownsDirectory = directory is null;
        var root = directory ?? Path.Combine(Path.GetTempPath(), "orchprep-sandbox-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(root);

        var hosts = new List<HostConfig>();
        foreach (var host in scenario.Hosts())
        {
            var relative = Path.Combine("snapshots", host.Name);
            SandboxSnapshotWriter.Write(host, Path.Combine(root, relative));
            hosts.Add(new HostConfig { Name = host.Name, Roles = host.Roles, Snapshot = relative });
        }

        var sqlServer = await SandboxSqlServer.StartAsync(
            scenario.Sql,
            Path.Combine(root, "sql"),
            new SandboxSqlServerOptions { Port = sqlPort, Password = sqlPassword, Latency = scenario.SqlLatency },
            time,
            cancellationToken);
        if (scenario.KeyBackupPresent)
        {
            var keyFile = Path.Combine(sqlServer.Engine.BackupDirectory, ServiceMasterKeyFiles.For(sqlServer.Engine.Profile.ServerName, time.GetUtcNow().AddHours(-2)));
            await File.WriteAllBytesAsync(keyFile, "OSBXSMK1"u8.ToArray(), cancellationToken);
            File.SetLastWriteTimeUtc(keyFile, time.GetUtcNow().UtcDateTime.AddHours(-2));
        }

        var environment = new EnvironmentConfig
        {
            Name = EnvironmentName,
            Target = scenario.Target,
            Hosts = hosts,
            Sql = new SqlConfig
            {
                Server = sqlServer.DataSource,
                Database = sqlServer.Engine.Profile.DatabaseName,
                Auth = SqlAuth.Sql,
                User = SandboxSqlServerOptions.DefaultLogin,
                PasswordEnv = PasswordVariable,
                Encrypt = SqlEncrypt.Optional,
            },
            Policies = new PoliciesConfig { Backup = new BackupPolicy { Directory = sqlServer.Engine.BackupDirectory } },
        };

        // The runner's own machine is never one of the sandbox hosts: every host is read from its snapshot.
        IHostFactsSource source = new HostFactsSource(new System.IO.Abstractions.FileSystem(), root, "orchprep-sandbox-runner");
        if (scenario.HostLatency > TimeSpan.Zero)
        {
            source = new LatentHostFactsSource(source, scenario.HostLatency, time);
        }

        return new SandboxSession(root, ownsDirectory, environment, source, scenario.Name, sqlServer);
    }

    public async ValueTask DisposeAsync()
    {
        await SqlServer.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; failing the run over it is not.
            }
        }

    }
}
