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
        var portSql = new Option<int?>("--port-sql") { Description = "Port of the simulated SQL Server (comes with the backup prerequisite)." };
        var portWeb = new Option<int?>("--port-web") { Description = "Port of the simulated Orchestrator web service (comes with the runbooks prerequisite)." };

        var command = new Command(
            "sandbox",
            "Write the simulated Orchestrator environment (host snapshots in reg export format and host.json) and " +
            $"{ConfigFileName}, so that `orchprep check --config {ConfigFileName}` runs against it.\n\nExamples:\n" +
            "  orchprep sandbox\n  orchprep sandbox --scenario requirements-unmet --dir /tmp/sbx");
        command.Options.Add(scenario);
        command.Options.Add(directory);
        command.Options.Add(portSql);
        command.Options.Add(portWeb);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(directory)!, environment.CurrentDirectory);
            SandboxSession session;
            try
            {
                session = await SandboxSession.StartAsync(parse.GetValue(scenario)!, environment.Time, cancellationToken, folder);
            }
            catch (ConfigException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: {ex.Message}");
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

                await output.WriteLineAsync($"Config: {configPath} (environment '{session.Environment.Name}')");
                await output.WriteLineAsync($"Run:    orchprep check --config {ConfigFileName} --environment {session.Environment.Name}");
                if (parse.GetValue(portSql) is not null || parse.GetValue(portWeb) is not null)
                {
                    await output.WriteLineAsync("Note: the SQL Server and web service simulators are not in this version yet; --port-sql/--port-web are accepted and unused.");
                }
                else
                {
                    await output.WriteLineAsync("Note: this version simulates hosts only; the SQL Server (TDS) and web service simulators come with the backup and runbooks prerequisites.");
                }
            }

            return ExitCodes.Met;
        });
        return command;
    }
}
