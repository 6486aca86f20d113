using System.CommandLine;
using System.Text.Json;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// <c>orchprep list checks|scenarios</c>: what <c>--only</c>/<c>--skip</c>/<c>explain</c> and <c>--sandbox=NAME</c> accept,
/// so nobody has to read the source or the README to find an id.
/// </summary>
internal static class ListCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("list", "List what orchprep knows: check ids or sandbox scenarios.\n\nExamples:\n  orchprep list checks\n  orchprep list scenarios\n  orchprep list checks --format json");
        command.Subcommands.Add(Checks(environment));
        command.Subcommands.Add(Scenarios(environment));
        return command;
    }

    /// <summary>Its choices are validated at parse time (exit 2 naming them) and shown in --help.</summary>
    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format", "-f") { Description = "text (a table) or json (for scripts).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        return format;
    }

    private static Command Checks(CliEnvironment environment)
    {
        var format = FormatOption();
        var command = new Command("checks", "Every check id a report can hold: its prerequisite, the modes that produce it, its title and help page (orchprep explain ID).");
        command.Options.Add(format);
        command.SetAction(async (parse, _) =>
        {
            var entries = CheckIndex.All();
            if (parse.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(
                    entries.Select(e => new
                    {
                        e.Id,
                        Prerequisite = WireNames.Of(e.Prerequisite),
                        Modes = e.Modes.Select(WireNames.Of).ToArray(),
                        e.Title,
                        e.HelpPage,
                    }),
                    Json));
                return ExitCodes.Met;
            }

            var idWidth = entries.Max(e => e.Id.Length);
            var modesWidth = entries.Max(e => ModesText(e).Length);
            await environment.Out.WriteLineAsync($"{"ID".PadRight(idWidth)}  {"PREREQUISITE",-12}  {"MODES".PadRight(modesWidth)}  TITLE");
            foreach (var entry in entries)
            {
                await environment.Out.WriteLineAsync($"{entry.Id.PadRight(idWidth)}  {WireNames.Of(entry.Prerequisite),-12}  {ModesText(entry).PadRight(modesWidth)}  {entry.Title}");
            }

            await environment.Out.WriteLineAsync($"{entries.Count} checks. Help page of one: orchprep explain ID (docs/checks/ID.md).");
            return ExitCodes.Met;
        });
        return command;
    }

    private static Command Scenarios(CliEnvironment environment)
    {
        var format = FormatOption();
        var command = new Command("scenarios", "The built-in sandbox scenarios (orchprep check --sandbox=NAME, orchprep sandbox --scenario NAME) and what each simulates.");
        command.Options.Add(format);
        command.SetAction(async (parse, _) =>
        {
            var names = SandboxScenarios.Names;
            if (parse.GetValue(format) == "json")
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(names.Select(n => new { Name = n, Description = SandboxScenarios.Describe(n) }), Json));
                return ExitCodes.Met;
            }

            foreach (var name in names)
            {
                await environment.Out.WriteLineAsync($"{name}\n  {SandboxScenarios.Describe(name)}");
            }

            await environment.Out.WriteLineAsync($"{names.Count} scenarios. Run one: orchprep check --sandbox={names[0]}");
            return ExitCodes.Met;
        });
        return command;
    }

    private static string ModesText(CheckIndexEntry entry) => string.Join(", ", entry.Modes.Select(WireNames.Of));
}
