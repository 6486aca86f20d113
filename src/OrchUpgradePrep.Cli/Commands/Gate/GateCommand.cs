using System.CommandLine;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Sandbox;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands.Gate;

/// <summary><c>orchprep gate serve</c>: the GitHub deployment protection rule and Azure DevOps check service.</summary>
internal static class GateCommand
{
    public static Command Create(CliEnvironment environment, ISandboxLauncher? sandboxes = null)
    {
        var config = new Option<string?>("--config", "-c") { Description = "orchprep.yml the checks read (default ./orchprep.yml). Env: ORCHPREP_CONFIG", HelpName = "file" };
        var workDir = new Option<string?>("--work-dir") { Description = "Folder for each check's report files (default ./orchprep-gate). Env: ORCHPREP_GATE_WORK_DIR", HelpName = "dir" };
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, e.g. http://0.0.0.0:8080 (default http://127.0.0.1:8080). Env: {GateSettings.UrlsVariable}", HelpName = "urls" };

        var serve = new Command(
            "serve",
            "Run the gate service until Ctrl+C: a GitHub App webhook for deployment protection rules (POST /github/webhook) and an " +
            "Azure DevOps \"Invoke REST API\" check endpoint (POST /azure-devops/check/{environment}); GET /healthz.\n" +
            "Settings come from environment variables only (see docs/gates.md).\n\nExamples:\n" +
            "  ORCHPREP_GATE_ENVIRONMENTS=orchestrator-prod=prod orchprep gate serve --config orchprep.yml --urls http://0.0.0.0:8080");
        serve.Options.Add(config);
        serve.Options.Add(workDir);
        serve.Options.Add(urls);
        serve.SetAction(async (parse, cancellationToken) =>
        {
            GateSettings settings;
            try
            {
                settings = GateSettings.FromEnvironment(environment.GetEnvironmentVariable, path => File.ReadAllText(Path.GetFullPath(path, environment.CurrentDirectory)));
                if (parse.GetValue(urls) is { Length: > 0 } listen)
                {
                    settings = settings with { Urls = GateSettings.ParseUrls(listen) };
                }
            }
            catch (ConfigException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: {ex.Message}");
                return ExitCodes.UsageOrConfig;
            }

            var masker = new SecretMasker();
            foreach (var secret in settings.Secrets.Concat(SecretEnvironment.WellKnownSecrets(environment.GetEnvironmentVariable)))
            {
                masker.Add(secret);
            }

            var log = new GateLog(environment.Error, masker, environment.Time);
            var configPath = parse.GetValue(config) ?? environment.GetEnvironmentVariable("ORCHPREP_CONFIG");
            var work = Path.GetFullPath(parse.GetValue(workDir) ?? environment.GetEnvironmentVariable("ORCHPREP_GATE_WORK_DIR") ?? "orchprep-gate", environment.CurrentDirectory);
            var gate = new EnvironmentGate(new CliGateCheck(environment, configPath, work, sandboxes), environment.Time, settings.CheckTimeout);
            using var background = new GateBackgroundWork(log);
            IReadOnlyList<IGateEndpoint> endpoints;
            try
            {
                endpoints = GateEndpoints.Create(settings, gate, background, log, environment.Time);
            }
            catch (ConfigException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: {ex.Message}");
                return ExitCodes.UsageOrConfig;
            }

            if (endpoints.Count == 0)
            {
                await environment.Error.WriteLineAsync(
                    $"orchprep: nothing to serve: set {GateSettings.WebhookSecretVariable} (with {GateSettings.GitHubAppIdVariable} and a private key) for GitHub, " +
                    $"or {GateSettings.AzureDevOpsSecretVariable} for Azure DevOps.");
                return ExitCodes.UsageOrConfig;
            }

            var version = RunComposition.ToolVersion();
            GateServer server;
            try
            {
                server = await GateServer.StartAsync(settings, endpoints, background, version, cancellationToken);
            }
            catch (IOException ex)
            {
                await environment.Error.WriteLineAsync($"orchprep: cannot listen on {string.Join(", ", settings.Urls)}: {ex.Message}");
                return ExitCodes.UsageOrConfig;
            }

            await using (server)
            {
                log.Write($"orchprep gate {version} listening on {string.Join(", ", server.Addresses)}; endpoints {string.Join(", ", endpoints.Select(e => e.Route))}; " +
                          $"environments {string.Join(", ", settings.Environments.Select(kv => $"{kv.Key}={kv.Value}"))}; reports in {work}" +
                          (settings.AzureDevOpsSecret is null ? "" : "; Azure DevOps PlanUrl hosts: dev.azure.com, vsrm.dev.azure.com, *.visualstudio.com" +
                              string.Concat(settings.AzureDevOpsServerOrigins.Select(o => ", " + o.GetLeftPart(UriPartial.Authority)))));
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    log.Write("stopping: finishing the decisions in flight");
                }
            }

            return ExitCodes.Met;
        });

        var gateCommand = new Command("gate", "Gated approvals: run the prerequisites as a GitHub deployment protection rule or an Azure DevOps environment check.");
        gateCommand.Subcommands.Add(serve);
        return gateCommand;
    }
}
