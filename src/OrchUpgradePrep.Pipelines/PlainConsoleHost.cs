using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines;

/// <summary>Outside a pipeline: nothing to translate. Secrets still reach the masker.</summary>
public sealed class PlainConsoleHost : IPipelineHost
{
    private readonly SecretMasker _masker;

    public PlainConsoleHost(SecretMasker masker)
    {
        _masker = masker;
    }

    public string Name => "console";

    public void RegisterSecrets(IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            _masker.Add(secret);
        }
    }

    public void WriteData(TextWriter target, Action<TextWriter> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        render(target);
    }

    public void Annotate(CheckResult check)
    {
    }

    public void SetOutput(string name, string value)
    {
    }

    public void PublishSummary(string markdownFilePath, string markdown)
    {
    }

    public void PublishTestResults(string junitPath)
    {
    }

    public void Complete(RunOutcome outcome)
    {
    }

    public void Fail(string message)
    {
    }

    public IReadOnlyList<string> DeliveryProblems => [];
}
