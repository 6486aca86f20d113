using System.IO.Abstractions;
using System.Text;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Pipelines.GitHubActions;

/// <summary>
/// GitHub Actions: workflow commands on stdout (<c>::add-mask::</c>, <c>::error</c>, <c>::warning</c>) and
/// the <c>GITHUB_OUTPUT</c> / <c>GITHUB_STEP_SUMMARY</c> files (docs/facts/pipeline-protocols.md#github-files). The step result is
/// the exit code, so <see cref="Complete"/> prints nothing.
/// </summary>
public sealed class GitHubActionsHost : IPipelineHost
{
    /// <summary>GitHub refuses a step summary over 1 MiB (and then shows none of it).</summary>
    public const int SummaryLimitBytes = 1024 * 1024;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly CommandOutput _out;
    private readonly IFileSystem _fileSystem;
    private readonly string? _outputPath;
    private readonly string? _summaryPath;
    private readonly Func<string> _newDelimiter;
    private readonly Lock _fileGate = new();
    private readonly List<string> _deliveryProblems = [];
    private readonly HashSet<string> _failedFiles = new(StringComparer.Ordinal);

    /// <param name="outputPath">The file named by <c>GITHUB_OUTPUT</c>; outputs are dropped without it.</param>
    /// <param name="summaryPath">The file named by <c>GITHUB_STEP_SUMMARY</c>; the summary is dropped without it.</param>
    public GitHubActionsHost(TextWriter stdout, IFileSystem fileSystem, SecretMasker masker, string? outputPath, string? summaryPath)
        : this(stdout, fileSystem, masker, outputPath, summaryPath, () => "ghadelimiter_" + Guid.NewGuid().ToString("N"))
    {
    }

    internal GitHubActionsHost(
        TextWriter stdout, IFileSystem fileSystem, SecretMasker masker, string? outputPath, string? summaryPath, Func<string> newDelimiter)
    {
        _out = new CommandOutput(stdout, masker);
        _fileSystem = fileSystem;
        _outputPath = string.IsNullOrEmpty(outputPath) ? null : outputPath;
        _summaryPath = string.IsNullOrEmpty(summaryPath) ? null : summaryPath;
        _newDelimiter = newDelimiter;
    }

    public string Name => "github-actions";

    public void RegisterSecrets(IEnumerable<string> secrets) =>
        _out.Register(secrets, line => [$"::add-mask::{WorkflowCommandEscaper.Message(line)}"]);

    /// <summary>Workflow commands are stopped around the data (::stop-commands::) with a token nobody can guess,
    /// so a registry value that reads "::error::…" or "::add-mask::" is printed, not run.</summary>
    public void WriteData(TextWriter target, Action<TextWriter> render)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(render);
        var token = _newDelimiter();
        _out.WriteLine($"::stop-commands::{token}");
        render(target);
        target.Flush();
        _out.WriteLine($"::{token}::");
    }

    public void Annotate(CheckResult check)
    {
        var command = check.Status switch
        {
            CheckStatus.Unmet or CheckStatus.Error => "error",
            CheckStatus.Warning => "warning",
            _ => null,
        };
        if (command is null)
        {
            return;
        }

        _out.WriteLine(
            // Masked before escaping too: the escaped form of a secret (e.g. '%' as %25) is not a registered form.
            $"::{command} title={WorkflowCommandEscaper.Property(_out.Masker.Mask($"{check.Id} on {check.Host}"))}::" +
            WorkflowCommandEscaper.Message(_out.Masker.Mask(check.Detail)));
    }

    public void SetOutput(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['\r', '\n', '=']) >= 0 || name.Contains("<<", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid output name.", nameof(name));
        }

        if (_outputPath is null)
        {
            return;
        }

        // A value orchprep produced (a path, a hash, an outcome) goes as it is: a masked one would name nothing
        // (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).
        string entry;
        if (value.IndexOfAny(['\r', '\n']) < 0)
        {
            entry = $"{name}={value}\n";
        }
        else
        {
            // Heredoc form; the delimiter must not occur in the value or the value would end early.
            var delimiter = _newDelimiter();
            while (value.Contains(delimiter, StringComparison.Ordinal) || name.Contains(delimiter, StringComparison.Ordinal))
            {
                delimiter = _newDelimiter();
            }

            entry = $"{name}<<{delimiter}\n{value}\n{delimiter}\n";
        }

        lock (_fileGate)
        {
            Append(_outputPath, entry, $"the step outputs (from '{name}' on)");
        }
    }

    public IReadOnlyList<string> DeliveryProblems
    {
        get
        {
            lock (_fileGate)
            {
                return [.. _deliveryProblems];
            }
        }
    }

    /// <summary>Appends to a runner file; a file it cannot write (another user's, a full disk) is said once, as an
    /// error annotation and in <see cref="DeliveryProblems"/>, instead of ending the run without its verdict.</summary>
    private void Append(string path, string text, string what)
    {
        if (_failedFiles.Contains(path))
        {
            return;
        }

        try
        {
            _fileSystem.File.AppendAllText(path, text, Utf8NoBom);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failedFiles.Add(path);
            var problem = $"{what} could not be written to {path}: {ex.Message}";
            _deliveryProblems.Add(problem);
            _out.WriteLine($"::error title=orchprep::{WorkflowCommandEscaper.Message(_out.Masker.Mask(problem))}");
        }
    }

    public void PublishSummary(string markdownFilePath, string markdown)
    {
        if (_summaryPath is null)
        {
            return;
        }

        lock (_fileGate)
        {
            // The limit is per step, and earlier writers in this step may have used some of it.
            var used = _fileSystem.File.Exists(_summaryPath) ? _fileSystem.FileInfo.New(_summaryPath).Length : 0;
            var text = Fit(_out.Masker.Mask(markdown), SummaryLimitBytes - used, markdownFilePath);
            Append(_summaryPath, text, "the step summary");
        }
    }

    public void PublishTestResults(string junitPath)
    {
    }

    public void Complete(RunOutcome outcome)
    {
    }

    public void Fail(string message) =>
        // The step fails by orchprep's exit code; the annotation is what the run's page shows.
        _out.WriteLine($"::error title=orchprep::{WorkflowCommandEscaper.Message(_out.Masker.Mask(message))}");

    // Cuts the summary at a character boundary so that it and the note pointing to the full report fit.
    private static string Fit(string markdown, long budgetBytes, string markdownFilePath)
    {
        if (Utf8NoBom.GetByteCount(markdown) <= budgetBytes)
        {
            return markdown;
        }

        var note = $"\n\n> **Summary truncated:** it exceeded GitHub's 1 MiB step summary limit. The full report is {markdownFilePath}.\n";
        var room = budgetBytes - Utf8NoBom.GetByteCount(note);
        if (room <= 0)
        {
            return Utf8NoBom.GetByteCount(note) <= budgetBytes ? note : string.Empty;
        }

        var length = 0;
        long bytes = 0;
        while (length < markdown.Length)
        {
            var width = char.IsHighSurrogate(markdown[length]) && length + 1 < markdown.Length ? 2 : 1;
            var size = Utf8NoBom.GetByteCount(markdown.AsSpan(length, width));
            if (bytes + size > room)
            {
                break;
            }

            bytes += size;
            length += width;
        }

        return markdown[..length] + note;
    }
}
