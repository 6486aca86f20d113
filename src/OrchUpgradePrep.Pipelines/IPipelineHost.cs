using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Pipelines;

/// <summary>
/// Translates a finished run into the conventions of the CI system orchprep runs in (Azure Pipelines
/// logging commands, GitHub workflow commands and files, or nothing). It never decides anything.
/// Call <see cref="RegisterSecrets"/> first: until then the pipeline cannot mask what follows.
/// </summary>
public interface IPipelineHost
{
    /// <summary>"azure-pipelines", "github-actions" or "console".</summary>
    string Name { get; }

    /// <summary>Tells the pipeline to mask these values in its logs (and adds them to the run's masker). Must precede all other output.</summary>
    void RegisterSecrets(IEnumerable<string> secrets);

    /// <summary>Prints report text (which holds data read from hosts: registry values, names) so that the pipeline
    /// cannot take any of it for a command. <paramref name="target"/> is already masking.</summary>
    void WriteData(TextWriter target, Action<TextWriter> render);

    /// <summary>An error annotation for an unmet or error check, a warning for a warning; nothing for met or skipped.</summary>
    void Annotate(CheckResult check);

    /// <summary>A step output other steps and jobs can read. The name is orchprep's and the value is data it produced (a path,
    /// a hash, an outcome): both are written as they are, not masked, so that they name what exists.</summary>
    void SetOutput(string name, string value);

    /// <summary>Shows the Markdown report on the run's summary page. The file's path is written as it is; the Markdown is masked.</summary>
    void PublishSummary(string markdownFilePath, string markdown);

    /// <summary>Publishes junit.xml to the pipeline's test tab where the pipeline has one (Azure only).</summary>
    void PublishTestResults(string junitPath);

    /// <summary>Sets the step result from the run's outcome (where the pipeline takes one besides the exit code).</summary>
    void Complete(RunOutcome outcome);

    /// <summary>The step fails for a reason outside the report's verdict — a usage or setup mistake before any check
    /// (exit 2), or a met run whose report or check run could not be delivered (exit 3): one error the pipeline's UI
    /// shows, naming what to fix, and (Azure) the one task.complete that fails the task. Instead of <see cref="Complete"/>.</summary>
    void Fail(string message);

    /// <summary>What could not be handed to the pipeline (an output or summary file it could not write), in words; the
    /// run then does not pass as green. Empty when everything arrived.</summary>
    IReadOnlyList<string> DeliveryProblems { get; }
}
