using OrchUpgradePrep.Pipelines;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>In a pipeline the summary and test results need files, so reports go to the runner's temp folder
/// unless --output says otherwise. Outside a pipeline nothing is written unasked.</summary>
internal static class PipelineDefaults
{
    public static string? OutputDirectory(IPipelineHost pipeline, CliEnvironment cli)
    {
        if (pipeline is PlainConsoleHost)
        {
            return null;
        }

        var temp = cli.GetEnvironmentVariable("AGENT_TEMPDIRECTORY") ?? cli.GetEnvironmentVariable("RUNNER_TEMP");
        return Path.Combine(string.IsNullOrEmpty(temp) ? cli.CurrentDirectory : temp, "orchprep-report");
    }
}
