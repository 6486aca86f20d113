using System.CommandLine;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary><c>orchprep explain ID</c>: prints docs/checks/&lt;ID&gt;.md, embedded in the binary.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "Check id, e.g. requirements.os-version" };
        var command = new Command("explain", "Print the help page of one check.\n\nExamples:\n  orchprep explain requirements.upgrade-path");
        command.Arguments.Add(id);
        command.SetAction(async (parse, _) =>
        {
            var checkId = parse.GetValue(id)!.Trim();
            var page = CheckHelp.Read(checkId);
            if (page is null)
            {
                await environment.Error.WriteLineAsync(
                    $"orchprep: no check '{checkId}'. Checks: {string.Join(", ", CheckHelp.AvailablePages())}");
                return ExitCodes.UsageOrConfig;
            }

            await environment.Out.WriteAsync(page);
            return ExitCodes.Met;
        });
        return command;
    }
}
