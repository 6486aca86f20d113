using OrchUpgradePrep.Pipelines;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// What every run writes through: the masker holding the well-known secrets (orchprep's own name as data, never
/// masked) and the pipeline host, told about those secrets before anything else is printed.
/// </summary>
internal sealed record PipelineSession(SecretMasker Masker, IPipelineHost Pipeline, IReadOnlyList<SecretVariable> WellKnownSecrets)
{
    public const string ToolName = "orchprep";

    public static PipelineSession Open(CliEnvironment cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        // Passwords, tokens and keys only: user names are data (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).
        var masker = new SecretMasker();
        var secrets = SecretEnvironment.WellKnownVariables(cli.GetEnvironmentVariable).ToList();
        foreach (var secret in secrets)
        {
            masker.Add(secret.Value);
        }

        // orchprep's own name (report.json's tool.name, every "orchprep:" line) is data, never masked.
        masker.AddData(ToolName);
        var pipeline = PipelineHostDetector.Detect(cli.GetEnvironmentVariable, cli.Out, cli.FileSystem, masker);
        pipeline.RegisterSecrets(masker.Secrets);
        return new PipelineSession(masker, pipeline, secrets);
    }
}
