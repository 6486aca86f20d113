using System.CommandLine;
using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox;

namespace OrchUpgradePrep.Cli;

/// <summary>The command tree (docs/commands.md). Commands parse; the work is in Commands/*.</summary>
internal static class OrchPrepCli
{
    /// <param name="sandboxes">Starts the sandbox of a --sandbox run; null = the product's (a temp folder, the world kept
    /// beside the state file). Tests pass their own to keep the folder and watch the session.</param>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken, ISandboxLauncher? sandboxes = null)
    {
        var root = Build(environment, sandboxes);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await environment.Error.WriteLineAsync($"orchprep: {error.Message}");
            }

            foreach (var hint in OptionsOfOtherCommands(root, parse.CommandResult.Command, args))
            {
                await environment.Error.WriteLineAsync($"orchprep: {hint}");
            }

            await environment.Error.WriteLineAsync("Run 'orchprep --help' or 'orchprep <command> --help' for usage.");
            return ExitCodes.UsageOrConfig;
        }

        var invocation = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            // Program.cs owns Ctrl+C/SIGTERM so a cancelled run can still write its partial report.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>"Unrecognized argument '--force-stop'" does not say why: name the commands the option belongs to
    /// (a prepare-only switch given to check is the usual case).</summary>
    internal static IEnumerable<string> OptionsOfOtherCommands(RootCommand root, Command used, IReadOnlyList<string> args)
    {
        var own = used.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var token in args.Where(a => a.StartsWith('-')).Select(a => a.Split('=', 2)[0]).Distinct(StringComparer.Ordinal))
        {
            if (own.Contains(token))
            {
                continue;
            }

            var owners = root.Subcommands.Where(c => c != used && c.Options.Any(o => o.Name == token || o.Aliases.Contains(token))).Select(c => c.Name).ToList();
            if (owners.Count > 0)
            {
                yield return $"{token} is an option of {string.Join(" and ", owners)} only, not of {(used == root ? "orchprep itself" : used.Name)} ('orchprep {owners[0]} --help').";
            }
        }
    }

    public static RootCommand Build(CliEnvironment environment, ISandboxLauncher? sandboxes = null)
    {
        var composition = new RunComposition(environment, sandboxes ?? new SandboxLauncher());
        var root = new RootCommand(
            "orchprep — pre-upgrade gate for System Center Orchestrator. Proves that runbooks are drained, no program " +
            "is open and no restart pending, a verified backup exists, and the target version's requirements are met.\n\n" +
            "Exit codes: 0 met (warnings allowed), 1 a prerequisite unmet, 2 usage or config error, " +
            "3 a check could not be evaluated, 130 cancelled.");

        var options = new RunOptions();
        root.Subcommands.Add(RunCommandFor(RunMode.Check, options, environment, composition,
            "Evaluate every prerequisite; change nothing.",
            "orchprep check --sandbox",
            "orchprep check --config orchprep.yml --environment prod --target 2022 --output out",
            "orchprep check -e test --only requirements --format json"));
        root.Subcommands.Add(RunCommandFor(RunMode.Prepare, options, environment, composition,
            "Make the prerequisites hold where it safely can (drain runbooks, block new starts, back up and verify), then check.",
            "orchprep prepare --sandbox",
            "orchprep prepare -e prod --drain stop --drain-timeout 30m --backup-dir \\\\backup01\\orch --verify restore"));
        root.Subcommands.Add(RunCommandFor(RunMode.Resume, options, environment, composition,
            "Undo what prepare blocked (new runbook starts) after the upgrade.",
            "orchprep resume -e prod"));
        root.Subcommands.Add(SandboxCommand.Create(environment));
        root.Subcommands.Add(ExplainCommand.Create(environment));
        root.Subcommands.Add(ListCommand.Create(environment));
        root.Subcommands.Add(Commands.Gate.GateCommand.Create(environment, sandboxes));
        return root;
    }

    private static Command RunCommandFor(RunMode mode, RunOptions options, CliEnvironment environment, RunComposition composition, string description, params string[] examples)
    {
        var command = new Command(
            WireNames.Of(mode),
            description + "\n\nExamples:\n" + string.Join("\n", examples.Select(e => "  " + e)));
        foreach (var option in options.Common)
        {
            command.Options.Add(option);
        }

        if (mode == RunMode.Prepare)
        {
            foreach (var option in options.PrepareOnly)
            {
                command.Options.Add(option);
            }
        }

        if (mode == RunMode.Resume)
        {
            foreach (var option in options.ResumeOnly)
            {
                command.Options.Add(option);
            }
        }

        var resolver = new RunRequestResolver(options, environment.GetEnvironmentVariable);
        command.SetAction(async (parse, cancellationToken) =>
        {
            RunRequest request;
            try
            {
                request = resolver.Resolve(parse, mode);
            }
            catch (ConfigException ex)
            {
                return await SetupError.ReportAsync(environment, ex.Message);
            }

            return await new RunCommand(environment, composition).ExecuteAsync(request, cancellationToken);
        });
        return command;
    }
}
