namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>A <c>reg export</c> file that cannot be read, with the file and 1-based line that broke it.</summary>
public sealed class RegExportFormatException : Exception
{
    public RegExportFormatException(string fileName, int line, string problem)
        : base($"{fileName}, line {line}: {problem}")
    {
        FileName = fileName;
        Line = line;
        Problem = problem;
    }

    public RegExportFormatException()
    {
        FileName = string.Empty;
        Problem = string.Empty;
    }

    public RegExportFormatException(string message)
        : base(message)
    {
        FileName = string.Empty;
        Problem = message;
    }

    public RegExportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
        Problem = message;
    }

    public string FileName { get; }

    public int Line { get; }

    public string Problem { get; }
}
