using System.IO.Abstractions;
using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Reporting;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>The report files of one run (--output DIR) and what --format prints, both through the masker.</summary>
internal sealed class ReportOutputs
{
    private readonly IFileSystem _fileSystem;
    private readonly SecretMasker _masker;

    public ReportOutputs(IFileSystem fileSystem, SecretMasker masker)
    {
        _fileSystem = fileSystem;
        _masker = masker;
    }

    public ReportFiles WriteFiles(Report report, string directory)
    {
        // The names depend on the mode (resume's do not overwrite prepare's), so match them by name, not by suffix.
        var names = ReportFileWriter.NamesFor(report.Mode);
        var paths = new ReportFileWriter(_fileSystem, _masker).WriteAll(report, directory);
        string Named(string name) => paths.Single(p => string.Equals(_fileSystem.Path.GetFileName(p), name, StringComparison.Ordinal));
        var markdownPath = Named(names.Markdown);
        return new ReportFiles(
            _fileSystem.Path.GetDirectoryName(markdownPath)!,
            Named(names.Json),
            markdownPath,
            Named(names.JUnit),
            _fileSystem.File.ReadAllText(markdownPath));
    }

    /// <summary>Prints the report in one format; <paramref name="writer"/> is already masking.</summary>
    public void Render(Report report, OutputFormat format, TextWriter writer, bool interactive, ConsoleVerbosity verbosity = ConsoleVerbosity.Detailed)
    {
        var redacted = ReportRedactor.Redact(report, _masker);
        switch (format)
        {
            case OutputFormat.Json:
                new JsonReportWriter().Write(redacted, writer);
                break;
            case OutputFormat.Markdown:
                new MarkdownReportWriter().Write(redacted, writer);
                break;
            case OutputFormat.Junit:
                new JUnitReportWriter().Write(redacted, writer);
                break;
            default:
                new ConsoleReportWriter(interactive, verbosity).Write(redacted, writer);
                break;
        }
    }
}

/// <summary>Where the report files went; <see cref="Markdown"/> is the summary the pipeline shows.</summary>
internal sealed record ReportFiles(string Directory, string JsonPath, string MarkdownPath, string JUnitPath, string Markdown);
