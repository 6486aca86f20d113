using System.IO.Abstractions;
using System.Text;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// <c>--output DIR</c>: writes report.json, report.md and junit.xml (UTF-8 without BOM), the report redacted
/// and every file written through the masker. resume writes resume-report.json, resume-report.md and resume-junit.xml
/// instead, beside prepare's, which it must not overwrite (docs/adr/0010-resume-report-files.md). The folder and the
/// files' paths are data orchprep chose: registered with the masker as such, so messages and pipeline commands that
/// name them still name them (docs/adr/0011-user-names-and-produced-data-are-not-masked.md).
/// </summary>
public sealed class ReportFileWriter
{
    public const string JsonFileName = "report.json";
    public const string MarkdownFileName = "report.md";
    public const string JUnitFileName = "junit.xml";

    /// <summary>The prefix of resume's report files.</summary>
    public const string ResumePrefix = "resume-";

    /// <summary>The three file names a run of <paramref name="mode"/> writes: JSON, Markdown, JUnit.</summary>
    public static ReportFileNames NamesFor(RunMode mode)
    {
        var prefix = mode == RunMode.Resume ? ResumePrefix : string.Empty;
        return new ReportFileNames(prefix + JsonFileName, prefix + MarkdownFileName, prefix + JUnitFileName);
    }

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly IFileSystem _fileSystem;
    private readonly SecretMasker _masker;

    public ReportFileWriter(IFileSystem fileSystem, SecretMasker masker)
    {
        _fileSystem = fileSystem;
        _masker = masker;
    }

    /// <summary>Writes the three files (<see cref="NamesFor"/> the report's mode) into <paramref name="directory"/>
    /// (created if missing); returns their full paths: JSON, Markdown, JUnit.</summary>
    public IReadOnlyList<string> WriteAll(Report report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        _fileSystem.Directory.CreateDirectory(directory);
        var full = _fileSystem.Path.GetFullPath(directory);
        _masker.AddData(full);
        _masker.AddData(full.TrimEnd(_fileSystem.Path.DirectorySeparatorChar, _fileSystem.Path.AltDirectorySeparatorChar));
        var redacted = ReportRedactor.Redact(report, _masker);
        var names = NamesFor(report.Mode);
        return
        [
            WriteFile(directory, names.Json, w => new JsonReportWriter().Write(redacted, w)),
            WriteFile(directory, names.Markdown, w => new MarkdownReportWriter().Write(redacted, w)),
            WriteFile(directory, names.JUnit, w => new JUnitReportWriter().Write(redacted, w)),
        ];
    }

    private string WriteFile(string directory, string fileName, Action<TextWriter> render)
    {
        var path = _fileSystem.Path.GetFullPath(_fileSystem.Path.Combine(directory, fileName));
        _masker.AddData(path);
        using var stream = _fileSystem.File.Create(path);
        using var writer = new MaskingTextWriter(new StreamWriter(stream, Utf8NoBom) { NewLine = "\n" }, _masker);
        render(writer);
        return path;
    }
}

/// <summary>The report files' names for one mode.</summary>
public sealed record ReportFileNames(string Json, string Markdown, string JUnit);
