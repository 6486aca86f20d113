using System.IO.Abstractions;
using System.Text;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.IisLogs;

/// <summary>
/// Streams IIS W3C log files line by line and keeps the requests a query asks for. Work is bounded: a file last
/// written before the query's start cannot hold a newer request and is not opened; the scan stops at
/// <see cref="IisLogQuery.MaxEntries"/> matching requests and says so; cancellation is checked every few lines.
/// IIS keeps today's file open for writing, so files are opened with sharing.
/// </summary>
public static class IisLogScanner
{
    /// <summary>One file to read: its path and how evidence names it.</summary>
    public readonly record struct LogFile(string Path, string Display);

    public static IisLogScan Scan(IFileSystem fileSystem, IEnumerable<LogFile> files, IisLogQuery query, string source, IReadOnlyList<string> notes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(query);
        var entries = new List<IisLogEntry>();
        var read = new List<string>();
        var bad = 0;
        var truncated = false;
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.OrdinalIgnoreCase))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (fileSystem.File.GetLastWriteTimeUtc(file.Path) < query.Since.UtcDateTime)
                {
                    continue;
                }

                read.Add(file.Display);
                using var stream = fileSystem.File.Open(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var parser = new W3cLogParser();
                var lines = 0;
                while (reader.ReadLine() is { } line)
                {
                    if (++lines % 4096 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    // Most lines are other requests: look at them no further than the prefix test.
                    if (line.Length > 0 && line[0] != '#' && !line.Contains(query.UriStemPrefix, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var parsed = parser.Parse(line);
                    if (parsed.Kind == W3cLogParser.LineKind.Bad)
                    {
                        bad++;
                    }
                    else if (parsed.Entry is { } entry
                        && entry.UriStem.StartsWith(query.UriStemPrefix, StringComparison.OrdinalIgnoreCase)
                        && entry.Time >= query.Since)
                    {
                        if (entries.Count >= query.MaxEntries)
                        {
                            truncated = true;
                            break;
                        }

                        entries.Add(entry);
                    }
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new HostFactsException($"access denied reading the IIS log {file.Display}: the account running orchprep needs read access to the IIS log folder", ex);
            }
            catch (IOException ex)
            {
                throw new HostFactsException($"cannot read the IIS log {file.Display}: {ex.Message}", ex);
            }

            if (truncated)
            {
                break;
            }
        }

        return new IisLogScan(entries, read, bad, truncated, source, notes);
    }
}
