using System.IO.Abstractions;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines.AzurePipelines;

/// <summary>
/// Azure Pipelines: <c>##vso[...]</c> logging commands on stdout, one per line (docs/facts/pipeline-protocols.md#azure-logging-commands).
/// An issue alone does not fail the task, so <see cref="Complete"/> sets the result explicitly.
/// </summary>
public sealed class AzurePipelinesHost : IPipelineHost
{
    private readonly CommandOutput _out;
    private readonly IFileSystem _fileSystem;
    private int _warnings;

    public AzurePipelinesHost(TextWriter stdout, IFileSystem fileSystem, SecretMasker masker)
    {
        _out = new CommandOutput(stdout, masker);
        _fileSystem = fileSystem;
    }

    public string Name => "azure-pipelines";

    public void RegisterSecrets(IEnumerable<string> secrets) =>
        _out.Register(secrets, SecretRegistration);

    // Agents that decode %AZP25 mask the escaped line's value; older ones take the text literally, so a
    // value with '%' is also sent as is (docs/adr/0001-azure-logging-escaping.md).
    private static IEnumerable<string> SecretRegistration(string line)
    {
        var escaped = AzureLoggingEscaper.Message(line);
        yield return $"##vso[task.setsecret]{escaped}";
        if (!string.Equals(escaped, line, StringComparison.Ordinal))
        {
            yield return $"##vso[task.setsecret]{line}";
        }
    }

    /// <summary>The agent runs a "##vso[" command found anywhere in a line and has no switch to stop that, so
    /// data is rendered first and every "##vso[" / "##[" in it broken up with a space.</summary>
    public void WriteData(TextWriter target, Action<TextWriter> render)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(render);
        using var buffer = new StringWriter();
        render(buffer);
        target.Write(Neutralize(buffer.ToString()));
        target.Flush();
    }

    public static string Neutralize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("##vso[", "##vso [", StringComparison.OrdinalIgnoreCase).Replace("##[", "## [", StringComparison.Ordinal);
    }

    public void Annotate(CheckResult check)
    {
        var type = check.Status switch
        {
            CheckStatus.Unmet or CheckStatus.Error => "error",
            CheckStatus.Warning => "warning",
            _ => null,
        };
        if (type is null)
        {
            return;
        }

        if (type == "warning")
        {
            Interlocked.Increment(ref _warnings);
        }

        _out.WriteLine(
            $"##vso[task.logissue type={type};code={AzureLoggingEscaper.Property(Masked(check.Id))};]" +
            AzureLoggingEscaper.Message(Masked($"{check.Host}: {check.Id}: {check.Detail}")));
    }

    // Output names are orchprep's own and values are data it produced (a path, a hash, an outcome): neither is masked
    // (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).
    public void SetOutput(string name, string value) =>
        _out.WriteDataCommand(
            $"##vso[task.setvariable variable={AzureLoggingEscaper.Property(name)};isOutput=true;issecret=false]" +
            AzureLoggingEscaper.Message(value));

    public void PublishSummary(string markdownFilePath, string markdown) =>
        // The agent reads the file itself and wants an absolute path; the caller has written it already.
        _out.WriteDataCommand($"##vso[task.uploadsummary]{AzureLoggingEscaper.Message(_fileSystem.Path.GetFullPath(markdownFilePath))}");

    public void PublishTestResults(string junitPath) =>
        _out.WriteDataCommand(
            $"##vso[results.publish type=JUnit;runTitle=orchprep;]{AzureLoggingEscaper.Message(_fileSystem.Path.GetFullPath(junitPath))}");

    public void Complete(RunOutcome outcome)
    {
        var (result, reason) = outcome switch
        {
            RunOutcome.Unmet => ("Failed", "orchprep: a prerequisite is unmet"),
            RunOutcome.Error => ("Failed", "orchprep: a check could not be evaluated"),
            RunOutcome.Cancelled => ("Failed", "orchprep: the run was cancelled"),
            RunOutcome.Met when Volatile.Read(ref _warnings) > 0 => ("SucceededWithIssues", "orchprep: all prerequisites met, with warnings"),
            RunOutcome.Met => ("Succeeded", "orchprep: all prerequisites met"),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
        _out.WriteLine($"##vso[task.complete result={result};]{AzureLoggingEscaper.Message(reason)}");
    }

    // Everything goes to stdout as logging commands: nothing the agent reads can fail to be written here.
    public IReadOnlyList<string> DeliveryProblems => [];

    public void Fail(string message)
    {
        // As azure-pipelines-task-lib's setResult(Failed, message) does: the issue the UI lists, then the result.
        var text = AzureLoggingEscaper.Message(Masked(message));
        _out.WriteLine($"##vso[task.logissue type=error;]{text}");
        _out.WriteLine($"##vso[task.complete result=Failed;]{text}");
    }

    // Values are masked before escaping too: the escaped form of a secret (e.g. '%' as %AZP25) is not a registered form.
    private string Masked(string value) => _out.Masker.Mask(value);
}
