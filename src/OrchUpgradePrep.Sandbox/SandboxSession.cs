using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Sandbox.Host;
using OrchUpgradePrep.Sandbox.Orchestrator;
using OrchUpgradePrep.Sandbox.Scenarios;
using OrchUpgradePrep.Sandbox.Services;
using OrchUpgradePrep.Sandbox.SqlServer;
using OrchUpgradePrep.Sandbox.WebService;

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

    /// <summary>The variable that holds the sandbox web service's user (default orchprep); the password is <see cref="PasswordVariable"/>'s.</summary>
    public const string UserVariable = "ORCHPREP_SANDBOX_USER";

    private SandboxSession(string directory, bool ownsDirectory, EnvironmentConfig environment, IHostFactsSource hostFacts, SandboxScenario scenario, SandboxSqlServer sqlServer,
        SandboxOrchestrator orchestrator, SandboxWebService? webService, TimeProvider time, SandboxSqlServer? restoreServer)
    {
        RestoreServer = restoreServer;
        WebService = webService;
        Orchestrator = orchestrator;
        ServiceControl = new SandboxServiceControlSource(orchestrator, scenario.UnreachableHosts, scenario.AccessDeniedHosts, scenario.ServiceLatency, time);
        ProgramControl = new SandboxProgramControlSource(directory, scenario.UnreachableHosts, scenario.ProgramLatency, time);
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Environment = environment;
        HostFacts = hostFacts;
        Scenario = scenario.Name;
        SqlServer = sqlServer;
    }

    /// <summary>The simulated Orchestrator (jobs, runbooks, servers, services) behind both the SQL and the web view.</summary>
    public SandboxOrchestrator Orchestrator { get; }

    /// <summary>The simulated Orchestrator web service (OData Atom); null in a scenario where it is down.</summary>
    public SandboxWebService? WebService { get; }

    /// <summary>The sandbox hosts' programs (prepare --close-programs removes them from the snapshots).</summary>
    public IProgramControlSource ProgramControl { get; }

    /// <summary>The sandbox hosts' Windows services (prepare's block-starts step stops the Runbook Services here).</summary>
    public IServiceControlSource ServiceControl { get; }

    /// <summary>The simulated SQL Server holding the Orchestrator database (listening on 127.0.0.1 until disposed).</summary>
    public SandboxSqlServer SqlServer { get; }

    /// <summary>The scenario's second SQL Server instance, on "another machine", that verify: restore runs on; null when it has none.</summary>
    public SandboxSqlServer? RestoreServer { get; }

    /// <summary>Where a client reaches an instance of the world: the restore server's name (ORCH-SQL02\ORCH) is its
    /// listener; any other name is returned as given.</summary>
    public string SqlDataSourceOf(string server) =>
        RestoreServer is { } other && string.Equals(server, other.Engine.Profile.ServerName, StringComparison.OrdinalIgnoreCase) ? other.DataSource : server;

    public string Directory { get; }

    public string Scenario { get; }

    public EnvironmentConfig Environment { get; }

    public IHostFactsSource HostFacts { get; }

    /// <summary>Writes the scenario into <paramref name="directory"/> (a new temp folder, removed on dispose, when null).</summary>
    /// <param name="sqlPassword">The SQL login's password (ORCHPREP_SANDBOX_PASSWORD, default "sandbox").</param>
    /// <param name="sqlPort">0 picks a free port.</param>
    /// <param name="serverDisk">The simulated SQL Server's disk (its backup folder), kept after the run and continued by the
    /// next one; null = inside <paramref name="directory"/>. Its database files stay in <paramref name="directory"/>.</param>
    public static async Task<SandboxSession> StartAsync(string scenarioName, TimeProvider time, CancellationToken cancellationToken, string? directory = null,
        string sqlPassword = SandboxSqlServerOptions.DefaultPassword, int sqlPort = 0, string? worldFile = null, int webPort = 0, string webUser = SandboxSqlServerOptions.DefaultLogin, SandboxFaults? faults = null,
        string? serverDisk = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(sqlPassword);
        var scenario = SandboxScenarios.Find(scenarioName);
        if (faults is not null)
        {
            scenario = scenario with
            {
                Sql = scenario.Sql with
                {
                    Fault = faults.Sql ?? scenario.Sql.Fault,
                    DelayPerChunk = faults.BackupDelayPerChunk ?? scenario.Sql.DelayPerChunk,
                },
                WebFaults = faults.Web ?? scenario.WebFaults,
                SqlLatency = faults.SqlLatency ?? scenario.SqlLatency,
                Orchestrator = faults.JobRestarts is { } restarts
                    ? scenario.Orchestrator with { Restarts = [.. scenario.Orchestrator.Restarts, restarts] }
                    : scenario.Orchestrator,
            };
        }

        var ownsDirectory = directory is null;
        if (ownsDirectory)
        {
            // What an earlier run killed before its clean-up (kill -9) left behind goes first.
            SandboxTempFolders.RemoveOrphans(Path.GetTempPath());
        }

        var root = directory ?? SandboxTempFolders.Create(Path.GetTempPath());
        System.IO.Directory.CreateDirectory(root);

        var orchestrator = new SandboxOrchestrator(scenario.Orchestrator, time);
        if (worldFile is not null && File.Exists(worldFile))
        {
            // prepare and resume are separate processes: the world prepare left behind is the one resume undoes.
            try
            {
                orchestrator.Restore(await File.ReadAllTextAsync(worldFile, cancellationToken));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
            {
                throw new ConfigException($"{worldFile} cannot be read ({ex.Message}); delete it to start the '{scenario.Name}' scenario afresh.");
            }
        }

        // Snapshots, the SQL Server and the web service start side by side: a cold `check --sandbox` waits for the slowest, not the sum.
        var snapshots = Task.Run(() => WriteSnapshots(scenario, root, time.GetUtcNow()), cancellationToken);
        var sqlStart = SandboxSqlServer.StartAsync(
            scenario.Sql,
            serverDisk ?? Path.Combine(root, "sql"),
            new SandboxSqlServerOptions
            {
                Port = sqlPort, Login = scenario.SqlLogin, Password = sqlPassword, Latency = scenario.SqlLatency, Orchestrator = orchestrator,
                DataDirectory = serverDisk is null ? null : Path.Combine(root, "sql", "data"),
            },
            time,
            cancellationToken);
        var webStart = scenario.Web == SandboxWebMode.Down
            ? Task.FromResult<SandboxWebService?>(null)
            : StartWebServiceAsync(orchestrator, scenario, webPort, webUser, sqlPassword, time, cancellationToken);
        try
        {
            await Task.WhenAll(snapshots, sqlStart, webStart);
        }
        catch
        {
            // Whatever did start must not keep listening after a failed start.
            if (sqlStart.IsCompletedSuccessfully)
            {
                await sqlStart.Result.DisposeAsync();
            }

            if (webStart.IsCompletedSuccessfully && webStart.Result is { } started)
            {
                await started.DisposeAsync();
            }

            throw;
        }

        var hosts = await snapshots;
        var sqlServer = await sqlStart;
        var webService = await webStart;
        SandboxSqlServer? restoreServer = null;
        if (scenario.RestoreServer is { } second)
        {
            try
            {
                // Another machine: its own disk; the Orchestrator server's backup folder only when the scenario shares it.
                restoreServer = await SandboxSqlServer.StartAsync(second.Profile, Path.Combine(root, "sql02"), new SandboxSqlServerOptions
                {
                    Login = scenario.SqlLogin, Password = sqlPassword, Latency = scenario.SqlLatency,
                    SharedDirectories = second.SharesBackupFolder ? [sqlServer.Engine.BackupDirectory] : [],
                }, time, cancellationToken);
            }
            catch
            {
                await sqlServer.DisposeAsync();
                if (webService is not null)
                {
                    await webService.DisposeAsync();
                }

                throw;
            }
        }

        var webRoot = webService?.ServiceRoot
            // A port nothing listens on: the client gets "connection refused", as from a stopped IIS site.
            ?? new Uri($"http://127.0.0.1:{webPort switch { 0 => ClosedPort(), _ => webPort }}/Orchestrator2012/Orchestrator.svc/");

        if (scenario.KeyBackupPresent)
        {
            var keyFile = Path.Combine(sqlServer.Engine.BackupDirectory, ServiceMasterKeyFiles.For(sqlServer.Engine.Profile.ServerName, time.GetUtcNow().AddHours(-2)));
            // As long as the key file BACKUP SERVICE MASTER KEY writes in the sandbox (magic, salt, encrypted key): a
            // shorter one is rightly judged truncated by backup.service-master-key.
            await File.WriteAllBytesAsync(keyFile, [.. "OSBXSMK1"u8, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(80)], cancellationToken);
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
                User = scenario.SqlLogin,
                PasswordEnv = PasswordVariable,
                Encrypt = SqlEncrypt.Optional,
            },
            WebService = new WebServiceConfig { Url = webRoot, Auth = WebServiceAuth.Basic, UserEnv = UserVariable, PasswordEnv = PasswordVariable },
            Policies = new PoliciesConfig
            {
                Backup = new BackupPolicy { Directory = sqlServer.Engine.BackupDirectory },
                // The sandbox's hosts know this account; the runner's own one is no account of theirs.
                UpgradeAccount = Scenarios.SandboxHosts.UpgradeAccount,
                // Sandbox runbooks finish within seconds: poll each second, give up after 10 s (a real environment's default is 30 m / 10 s).
                Drain = new DrainPolicy { Timeout = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromSeconds(1) },
                Verify = restoreServer is null ? VerifyLevel.Verifyonly : VerifyLevel.Restore,
                RestoreServer = restoreServer?.Engine.Profile.ServerName,
                Services = scenario.ServiceStopTimeout is { } stopTimeout ? new ServicePolicy { StopTimeout = stopTimeout } : new ServicePolicy(),
            },
        };

        // The runner's own machine is never one of the sandbox hosts: every host is read from its snapshot.
        IHostFactsSource source = new HostFactsSource(new System.IO.Abstractions.FileSystem(), root, new LocalMachine("orchprep-sandbox-runner"));
        if (scenario.HostLatency > TimeSpan.Zero)
        {
            source = new LatentHostFactsSource(source, scenario.HostLatency, time);
        }

        if (scenario.UnreachableHosts.Count > 0)
        {
            source = new UnreachableHostFactsSource(source, scenario.UnreachableHosts);
        }

        if (scenario.AccessDeniedHosts.Count > 0)
        {
            source = new AccessDeniedHostFactsSource(source, scenario.AccessDeniedHosts);
        }

        return new SandboxSession(root, ownsDirectory, environment, source, scenario, sqlServer, orchestrator, webService, time, restoreServer);
    }

    private static List<HostConfig> WriteSnapshots(SandboxScenario scenario, string root, DateTimeOffset now)
    {
        var hosts = new List<HostConfig>();
        foreach (var host in scenario.Hosts())
        {
            if (scenario.UnreachableHosts.ContainsKey(host.Name) || scenario.AccessDeniedHosts.Contains(host.Name, StringComparer.OrdinalIgnoreCase))
            {
                // A remote host, as a real config names it: no snapshot, reached over the network (which fails, or refuses the account).
                hosts.Add(new HostConfig { Name = host.Name, Roles = host.Roles });
                continue;
            }

            var relative = Path.Combine("snapshots", host.Name);
            SandboxSnapshotWriter.Write(host, Path.Combine(root, relative), now);
            hosts.Add(new HostConfig { Name = host.Name, Roles = host.Roles, Snapshot = relative });
        }

        return hosts;
    }

    private static async Task<SandboxWebService?> StartWebServiceAsync(SandboxOrchestrator orchestrator, SandboxScenario scenario, int port, string user, string password,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var faults = scenario.WebFaults ?? (scenario.Web == SandboxWebMode.Flaky ? new SandboxWebServiceFaults { FailEvery = 3, ResetEvery = 7 } : new SandboxWebServiceFaults());
        return await SandboxWebService.StartAsync(orchestrator, new SandboxWebServiceOptions { Port = port, User = user, Password = password, Faults = faults }, time, cancellationToken);
    }

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Writes the simulated Orchestrator's jobs and services to <paramref name="worldFile"/> for the next run to continue.</summary>
    public async Task SaveWorldAsync(string worldFile, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(worldFile))!);
        await File.WriteAllTextAsync(worldFile, Orchestrator.Export(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (WebService is not null)
        {
            await WebService.DisposeAsync();
        }

        await SqlServer.DisposeAsync();
        if (RestoreServer is not null)
        {
            await RestoreServer.DisposeAsync();
        }

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

/// <summary>Faults a test adds to a scenario (the fault matrix, docs/reliability.md): the SQL Server's, the web service's and the simulated Orchestrator's.</summary>
public sealed record SandboxFaults
{
    public SqlServer.SandboxSqlFault? Sql { get; init; }

    public SandboxWebServiceFaults? Web { get; init; }

    /// <summary>Delay before the SQL Server answers each statement.</summary>
    public TimeSpan? SqlLatency { get; init; }

    /// <summary>Delay per 64 KiB written by BACKUP (and per four read by RESTORE): a backup slow enough to interrupt.</summary>
    public TimeSpan? BackupDelayPerChunk { get; init; }

    /// <summary>A runbook that a schedule starts again each time its job is stopped (N times, or every time).</summary>
    public SandboxJobRestarts? JobRestarts { get; init; }
}
