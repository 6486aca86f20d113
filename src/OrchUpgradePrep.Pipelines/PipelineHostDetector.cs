using System.IO.Abstractions;
using OrchUpgradePrep.Pipelines.AzurePipelines;
using OrchUpgradePrep.Pipelines.GitHubActions;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines;

/// <summary>Picks the pipeline host from the variables each CI system sets: <c>TF_BUILD</c>, <c>GITHUB_ACTIONS</c>, else plain.</summary>
public static class PipelineHostDetector
{
    public static IPipelineHost Detect(Func<string, string?> getEnv, TextWriter stdout, IFileSystem fs, SecretMasker masker)
    {
        if (string.Equals(getEnv("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new AzurePipelinesHost(stdout, fs, masker);
        }

        if (string.Equals(getEnv("GITHUB_ACTIONS"), "true", StringComparison.Ordinal))
        {
            return new GitHubActionsHost(stdout, fs, masker, getEnv("GITHUB_OUTPUT"), getEnv("GITHUB_STEP_SUMMARY"));
        }

        return new PlainConsoleHost(masker);
    }
}
