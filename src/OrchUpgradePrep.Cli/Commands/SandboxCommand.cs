using System.CommandLine;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary><c>orchprep sandbox</c>: writes the simulated environment to disk and a config that points at it.</summary>
internal static class SandboxCommand
{
    public const string ConfigFileName = "sandbox.orchprep.yml";

    public static Command Create(CliEnvironment environment)
    {
        var scenario = new Option<string>("--scenario", "-s")
        {
            Description = $"Scenario: {string.Join(", ", SandboxScenarios.Names)}. Env: ORCHPREP_SCENARIO",
            DefaultValueFactory = _ => environment.GetEnvironmentVariable("ORCHPREP_SCENARIO") ?? "healthy",
        };
        var directory = new Option<string>("--dir")
        {
            Description = "Folder for the host snapshots (default ./orchprep-sandbox).",
            DefaultValueFactory = _ => "orchprep-sandbox",
        };
        var portSql = new Option<int?>("--port-sql") { Description = "Port of the simulated SQL Server on 127.0.0.1 (default: a free port)." };
        var portWeb = new Option<int?>("--port-web") { Description = "Port of the simulated Orchestrator web service on 127.0.0.1 (default: a free port)." };

        var command = new Command(
            "sandbox",
            "Run the simulated Orchestrator environment until Ctrl+C: host snapshots (reg export format and host.json), a SQL Server " +
            $"on 127.0.0.1 that speaks TDS, the Orchestrator web service (OData Atom), and {ConfigFileName}, so that `orchprep check --config {ConfigFileName}` runs against it " +
            "from another terminal.\n\nExamples:\n" +
            "  orchprep sandbox\n  orchprep sandbox --scenario requirements-unmet --dir /tmp/sbx");
        command.Options.Add(scenario);
        command.Options.Add(directory);
        command.Options.Add(portSql);
        command.Options.Add(portWeb);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(directory)!, environment.CurrentDirectory);
            SandboxSession session;
            var password = EnvironmentResolver.SandboxPassword(environment.GetEnvironmentVariable);
            try
            {
                session = await SandboxSession.StartAsync(parse.GetValue(scenario)!, environment.Time, cancellationToken, folder, password, parse.GetValue(portSql) ?? 0,
                    webPort: parse.GetValue(portWeb) ?? 0, webUser: EnvironmentResolver.SandboxUser(environment.GetEnvironmentVariable));
            }
            catch (ConfigException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: {ex.Message}");
                return ExitCodes.UsageOrConfig;
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: cannot listen on 127.0.0.1 (--port-sql {parse.GetValue(portSql)}, --port-web {parse.GetValue(portWeb)}): {ex.Message}");
                return ExitCodes.UsageOrConfig;
            }

            await using (session)
            {
                var configPath = Path.Combine(environment.CurrentDirectory, ConfigFileName);
                await File.WriteAllTextAsync(configPath, SandboxConfigWriter.Render(session, environment.CurrentDirectory), cancellationToken);
                var output = environment.Out;
                await output.WriteLineAsync($"Sandbox scenario '{session.Scenario}': {SandboxScenarios.Describe(session.Scenario)}");
                await output.WriteLineAsync($"Host snapshots: {session.Directory}");
                foreach (var host in session.Environment.Hosts)
                {
                    await output.WriteLineAsync($"  {host.Name,-12} {string.Join(", ", host.Roles.Select(r => WireNames.Of(r)))}");
                }

                var sql = session.Environment.Sql!;
                await output.WriteLineAsync($"SQL Server: {sql.Server} (TDS, encryption optional; database {sql.Database}; login {sql.User}, password from {SandboxSession.PasswordVariable}, default 'sandbox')");
                await output.WriteLineAsync($"  connection string: Data Source={sql.Server};Initial Catalog={sql.Database};User ID={sql.User};Password=<{SandboxSession.PasswordVariable}>;Encrypt=Optional");
                var web = session.Environment.WebService!;
                await output.WriteLineAsync(session.WebService is null
                    ? $"Web service: {web.Url} (down in this scenario: connection refused)"
                    : $"Web service: {web.Url} (OData Atom; Basic auth, user from {SandboxSession.UserVariable}, default 'orchprep', password from {SandboxSession.PasswordVariable})");
                await output.WriteLineAsync($"Backups go to: {session.Environment.Policies.Backup.Directory}");
                if (session.RestoreServer is { } restoreServer)
                {
                    await output.WriteLineAsync($"Restore server: {restoreServer.DataSource} ({restoreServer.Engine.Profile.ServerName}, SQL Server {restoreServer.Engine.Profile.ProductVersion}; same login; prepare's verify: restore runs there)");
                }

                await output.WriteLineAsync($"Config: {configPath} (environment '{session.Environment.Name}')");
                var prefix = (environment.GetEnvironmentVariable(SandboxSession.UserVariable) is { Length: > 0 } ? string.Empty : $"{SandboxSession.UserVariable}=orchprep ")
                    + (environment.GetEnvironmentVariable(SandboxSession.PasswordVariable) is { Length: > 0 } ? string.Empty : $"{SandboxSession.PasswordVariable}=sandbox ");
                await output.WriteLineAsync($"Run:    {prefix}orchprep check --config {ConfigFileName} --environment {session.Environment.Name}");
                await output.WriteLineAsync("Note: the hosts are snapshots, so `prepare` against this config cannot stop their Runbook Services (runbooks.starts-blocked unmet); `prepare --sandbox` can.");
                await output.WriteLineAsync("Ready. Serving until Ctrl+C.");
                await output.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C is how this command ends.
                }
            }

            return ExitCodes.Met;
        });
        return command;
    }
}
