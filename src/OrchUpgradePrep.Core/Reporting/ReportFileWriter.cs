using System.IO.Abstractions;
using System.Text;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// <c>--output DIR</c>: writes report.json, report.md and junit.xml (UTF-8 without BOM), the report redacted
/// and every file written through the masker. The folder and the files' paths are data orchprep chose: registered
/// with the masker as such, so messages and pipeline commands that name them still name them.
/// </summary>
public sealed class ReportFileWriter
{
    public const string JsonFileName = "report.json";
    public const string MarkdownFileName = "report.md";
    public const string JUnitFileName = "junit.xml";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly IFileSystem _fileSystem;
    private readonly SecretMasker _masker;

    public ReportFileWriter(IFileSystem fileSystem, SecretMasker masker)
    {
        _fileSystem = fileSystem;
        _masker = masker;
    }

    /// <summary>Writes the three files into <paramref name="directory"/> (created if missing); returns their full paths.</summary>
    public IReadOnlyList<string> WriteAll(Report report, string directory)
    {
        _fileSystem.Directory.CreateDirectory(directory);
        var full = _fileSystem.Path.GetFullPath(directory);
        _masker.AddData(full);
        _masker.AddData(full.TrimEnd(_fileSystem.Path.DirectorySeparatorChar, _fileSystem.Path.AltDirectorySeparatorChar));
        var redacted = ReportRedactor.Redact(report, _masker);
        return
        [
            WriteFile(directory, JsonFileName, w => new JsonReportWriter().Write(redacted, w)),
            WriteFile(directory, MarkdownFileName, w => new MarkdownReportWriter().Write(redacted, w)),
            WriteFile(directory, JUnitFileName, w => new JUnitReportWriter().Write(redacted, w)),
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
