using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Platform.HostFacts;
using OrchUpgradePrep.Platform.Orchestrator;
using OrchUpgradePrep.Platform.Services;
using OrchUpgradePrep.Platform.Sql;
using OrchUpgradePrep.Sandbox;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Finds the environment to check: the built-in sandbox, or one environment of orchprep.yml with overrides applied.</summary>
internal static class EnvironmentResolver
{
    public const string DefaultConfigFile = "orchprep.yml";

    /// <param name="sandboxes">Starts the sandbox of a --sandbox run.</param>
    /// <param name="sandboxWorld">Where a prepare/resume run against the sandbox continues and saves the simulated world; null = fresh, kept nowhere (check).</param>
    public static async Task<ResolvedEnvironment> ResolveAsync(RunRequest request, CliEnvironment cli, ISandboxLauncher sandboxes, SandboxWorldStore? sandboxWorld, CancellationToken cancellationToken)
    {
        if (request.SandboxScenario is { } scenario)
        {
            if (request.ConfigPath is not null)
            {
                throw new ConfigException("--sandbox and --config exclude each other: the sandbox brings its own environment.");
            }

            var password = SandboxPassword(cli.GetEnvironmentVariable);
            var user = SandboxUser(cli.GetEnvironmentVariable);
            var session = await sandboxes.StartAsync(
                new SandboxLaunch(scenario, cli.Time, password, user, sandboxWorld, CreateServerDisk: request.Mode == RunMode.Prepare), cancellationToken);
            var sandboxEnvironment = ConfigOverrides.Apply(session.Environment, request.Overrides);
            string? SandboxVariables(string name) =>
                name == SandboxSession.PasswordVariable ? password : name == SandboxSession.UserVariable ? user : cli.GetEnvironmentVariable(name);
            var sandboxSql = new SqlClientConnector(sandboxEnvironment.Sql!, SandboxVariables);
            // The sandbox's faults are about the service, not about how long a real one is waited for: retry quickly.
            var sandboxWeb = sandboxEnvironment.WebService is { } sandboxWebConfig
                ? WebService(sandboxWebConfig, SandboxVariables, new ODataOrchestratorApiOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RequestTimeout = TimeSpan.FromSeconds(10) }, cli.Time)
                : null;
            return new ResolvedEnvironment(sandboxEnvironment, sandboxEnvironment.Target!.Value, session.HostFacts, session, sandboxSql, sandboxWeb, session.ServiceControl, session.ProgramControl)
            {
                SandboxWorld = sandboxWorld,
                // The sandbox's second instance answers to its world name (ORCH-SQL02) as well as to its listener.
                RestoreServer = RestoreServer(sandboxEnvironment, SandboxVariables, session.SqlDataSourceOf),
            };
        }

        var path = Path.GetFullPath(request.ConfigPath ?? DefaultConfigFile, cli.CurrentDirectory);
        if (!cli.FileSystem.File.Exists(path))
        {
            throw new ConfigException(request.ConfigPath is null
                ? $"no config: {DefaultConfigFile} is not in {cli.CurrentDirectory}. Pass --config FILE, or try the built-in sandbox with --sandbox."
                : $"{path}: file not found; it is the config file named by --config.");
        }

        var config = new ConfigLoader(cli.FileSystem).Load(path);
        var environment = Pick(config, request.Environment);
        environment = ConfigOverrides.Apply(environment, request.Overrides);
        var target = environment.Target ?? throw new ConfigException(
            $"{path}: environment '{environment.Name}' has no target: add `target: \"2022\"` (one of {string.Join(", ", TargetVersionNames.All)}) or pass --target.");
        // Every missing secret variable, SQL and web service alike, is exit 2 here, before a client exists or anything runs.
        SecretVariables.EnsureSet(environment, cli.GetEnvironmentVariable, path);
        var baseDirectory = Path.GetDirectoryName(path)!;
        var sql = environment.Sql is { } sqlConfig ? new SqlClientConnector(sqlConfig, cli.GetEnvironmentVariable) : null;
        var web = environment.WebService is { } webConfig ? WebService(webConfig, cli.GetEnvironmentVariable, new ODataOrchestratorApiOptions(), cli.Time) : null;
        var localMachine = new LocalMachine(cli.LocalMachineName, cli.ContainerEvidence);
        return new ResolvedEnvironment(environment, target, new HostFactsSource(cli.FileSystem, baseDirectory, localMachine, cli.LiveLocalHost, Platform.HostFacts.Cim.CimHostFacts.RemoteFactoryForThisPlatform()), Sandbox: null, sql,
            web, new WindowsServiceControlSource(cli.Time, localMachine), new Platform.Processes.LocalProgramControlSource(localMachine, cli.Time))
        {
            RestoreServer = RestoreServer(environment, cli.GetEnvironmentVariable, name => name),
        };
    }

    /// <summary>The restore server's connector: the sql: section with another server, in master (the Orchestrator
    /// database is not there); same auth, user, password variable and encryption (docs/adr/0022-verify-on-another-server.md).</summary>
    private static SqlClientConnector? RestoreServer(EnvironmentConfig environment, Func<string, string?> getEnvironmentVariable, Func<string, string> dataSource) =>
        environment.Policies is { Verify: VerifyLevel.Restore, RestoreServer: { } server } && environment.Sql is { } sql
            ? new SqlClientConnector(sql with { Server = dataSource(server), Database = "master" }, getEnvironmentVariable)
            : null;

    /// <summary>The sandbox login's password: ORCHPREP_SANDBOX_PASSWORD, or the documented default.</summary>
    public static string SandboxPassword(Func<string, string?> getEnvironmentVariable) =>
        getEnvironmentVariable(SandboxSession.PasswordVariable) is { Length: > 0 } password ? password : Sandbox.SqlServer.SandboxSqlServerOptions.DefaultPassword;

    /// <summary>The web service client; a credential variable that is not set is a config error (exit 2), named without any value.</summary>
    private static ODataOrchestratorApi WebService(WebServiceConfig config, Func<string, string?> getEnvironmentVariable, ODataOrchestratorApiOptions options, TimeProvider time)
    {
        try
        {
            return OrchestratorApiFactory.Create(config, getEnvironmentVariable, options, time);
        }
        catch (Ports.OrchestratorApiException ex)
        {
            throw new ConfigException($"webService: {ex.Message}");
        }
    }

    /// <summary>The sandbox web service's user: ORCHPREP_SANDBOX_USER, or the documented default.</summary>
    public static string SandboxUser(Func<string, string?> getEnvironmentVariable) =>
        getEnvironmentVariable(SandboxSession.UserVariable) is { Length: > 0 } user ? user : Sandbox.SqlServer.SandboxSqlServerOptions.DefaultLogin;

    private static EnvironmentConfig Pick(OrchPrepConfig config, string? name)
    {
        var names = string.Join(", ", config.Environments.Keys);
        if (name is null)
        {
            return config.Environments.Count == 1
                ? config.Environments.Values.Single()
                : throw new ConfigException($"{config.SourcePath}: several environments ({names}); choose one with --environment.");
        }

        return config.Environments.TryGetValue(name, out var environment)
            ? environment
            : throw new ConfigException($"{config.SourcePath}: no environment '{name}'; it has {names}.");
    }
}
