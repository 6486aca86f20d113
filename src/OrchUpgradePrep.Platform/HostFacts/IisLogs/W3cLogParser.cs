using System.Globalization;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.IisLogs;

/// <summary>
/// Reads the lines of one IIS log in the W3C extended format, in order. The <c>#Fields:</c> directive names the
/// columns and may change mid-file (IIS writes a new header when logging is reconfigured), so the parser keeps the
/// latest. Values are separated by single spaces; <c>-</c> means "not logged". Times are UTC (docs/facts/iis-logs.md).
/// </summary>
public sealed class W3cLogParser
{
    private Columns? _columns;

    /// <summary>What one line was.</summary>
    public enum LineKind
    {
        /// <summary>A <c>#</c> directive or an empty line.</summary>
        Directive,

        /// <summary>A request; <see cref="Line.Entry"/> is set.</summary>
        Entry,

        /// <summary>A line that is not a request the current <c>#Fields:</c> describes (too few or many values, no
        /// header yet, an unreadable date, no <c>cs-uri-stem</c> column).</summary>
        Bad,
    }

    public readonly record struct Line(LineKind Kind, IisLogEntry? Entry);

    public Line Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
        {
            return new Line(LineKind.Directive, null);
        }

        if (line[0] == '#')
        {
            if (line.StartsWith("#Fields:", StringComparison.OrdinalIgnoreCase))
            {
                _columns = Columns.From(line["#Fields:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }

            return new Line(LineKind.Directive, null);
        }

        if (_columns is not { } columns || columns.UriStem < 0 || columns.Date < 0 || columns.Time < 0)
        {
            return new Line(LineKind.Bad, null);
        }

        var values = line.TrimEnd('\r').Split(' ');
        if (values.Length != columns.Count)
        {
            return new Line(LineKind.Bad, null);
        }

        if (!DateTime.TryParseExact($"{values[columns.Date]} {values[columns.Time]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            || Value(values, columns.UriStem) is not { } stem)
        {
            return new Line(LineKind.Bad, null);
        }

        int? status = Value(values, columns.Status) is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        return new Line(LineKind.Entry, new IisLogEntry(
            new DateTimeOffset(time, TimeSpan.Zero),
            Value(values, columns.ClientIp),
            Value(values, columns.UserAgent),
            Value(values, columns.UserName),
            stem,
            status));
    }

    private static string? Value(string[] values, int index) =>
        index < 0 || values[index].Length == 0 || values[index] == "-" ? null : values[index];

    private sealed record Columns(int Count, int Date, int Time, int ClientIp, int UserAgent, int UserName, int UriStem, int Status)
    {
        public static Columns From(string[] names)
        {
            int Find(string name) => Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            return new Columns(names.Length, Find("date"), Find("time"), Find("c-ip"), Find("cs(User-Agent)"), Find("cs-username"), Find("cs-uri-stem"), Find("sc-status"));
        }
    }
}
