using System.IO.Abstractions.TestingHelpers;
using OrchUpgradePrep.Platform.HostFacts.IisLogs;
using OrchUpgradePrep.Ports;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.IisLogs;

public sealed class IisLogScannerTests
{
    private const string Prefix = "/Orchestrator2012/Orchestrator.svc";
    private static readonly DateTimeOffset Since = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Line(string date, string stem, string client = "10.0.0.57", string agent = "PowerShell") =>
        $"{date} 10.0.0.20 GET {stem} - 81 - {client} {agent} - 200 0 0 15";

    private static MockFileSystem Logs(params (string Path, DateTime LastWrite, string[] Lines)[] files)
    {
        var fs = new MockFileSystem();
        foreach (var (path, lastWrite, lines) in files)
        {
            fs.AddFile(path, new MockFileData(string.Join("\r\n", lines)) { LastWriteTime = lastWrite });
        }

        return fs;
    }

    private static IisLogScanner.LogFile[] All(MockFileSystem fs) =>
        fs.AllFiles.Select(f => new IisLogScanner.LogFile(f, fs.Path.GetFileName(f))).ToArray();

    [Fact]
    public void Keeps_only_requests_under_the_prefix_logged_since_the_start()
    {
        var fs = Logs(("/logs/W3SVC1/u_ex261102.log", new DateTime(2026, 11, 2, 23, 0, 0, DateTimeKind.Utc),
        [
            "#Software: Microsoft Internet Information Services 10.0",
            W3cLogParserTests.DefaultFields,
            Line("2026-10-31 23:59:59", Prefix + "/Jobs"),          // before the start
            Line("2026-11-02 08:00:00", Prefix + "/Jobs"),
            Line("2026-11-02 09:00:00", "/orchestrator2012/orchestrator.svc/Runbooks"), // IIS keeps the caller's case
            Line("2026-11-02 10:00:00", "/iisstart.htm"),
            Line("2026-11-02 11:00:00", "/Other/Orchestrator2012/Orchestrator.svc"),  // contains, does not start with
        ]));

        var scan = IisLogScanner.Scan(fs, All(fs), new IisLogQuery(Prefix, Since), "test", [], TestContext.Current.CancellationToken);

        Assert.Equal(["/Orchestrator2012/Orchestrator.svc/Jobs", "/orchestrator2012/orchestrator.svc/Runbooks"], scan.Entries.Select(e => e.UriStem));
        Assert.Equal(["u_ex261102.log"], scan.FilesRead);
        Assert.False(scan.Truncated);
        Assert.Equal(0, scan.BadLines);
    }

    [Fact]
    public void A_file_last_written_before_the_start_is_not_read()
    {
        var fs = Logs(
            ("/logs/W3SVC1/u_ex261001.log", new DateTime(2026, 10, 1, 23, 0, 0, DateTimeKind.Utc), [W3cLogParserTests.DefaultFields, Line("2026-11-05 08:00:00", Prefix)]),
            ("/logs/W3SVC1/u_ex261105.log", new DateTime(2026, 11, 5, 23, 0, 0, DateTimeKind.Utc), [W3cLogParserTests.DefaultFields, Line("2026-11-05 08:00:00", Prefix)]));

        var scan = IisLogScanner.Scan(fs, All(fs), new IisLogQuery(Prefix, Since), "test", [], TestContext.Current.CancellationToken);

        Assert.Equal(["u_ex261105.log"], scan.FilesRead);
        Assert.Single(scan.Entries);
    }

    [Fact]
    public void Stops_at_the_bound_and_says_so()
    {
        var lines = new List<string> { W3cLogParserTests.DefaultFields };
        lines.AddRange(Enumerable.Range(0, 50).Select(i => Line("2026-11-05 08:00:00", Prefix)));
        var fs = Logs(
            ("/logs/W3SVC1/u_ex261105.log", new DateTime(2026, 11, 5, 23, 0, 0, DateTimeKind.Utc), [.. lines]),
            ("/logs/W3SVC1/u_ex261106.log", new DateTime(2026, 11, 6, 23, 0, 0, DateTimeKind.Utc), [.. lines]));

        var scan = IisLogScanner.Scan(fs, All(fs), new IisLogQuery(Prefix, Since, MaxEntries: 10), "test", [], TestContext.Current.CancellationToken);

        Assert.Equal(10, scan.Entries.Count);
        Assert.True(scan.Truncated);
        Assert.Equal(["u_ex261105.log"], scan.FilesRead);
    }

    [Fact]
    public void Counts_lines_naming_the_service_that_cannot_be_parsed()
    {
        var fs = Logs(("/logs/u_ex261105.log", new DateTime(2026, 11, 5, 23, 0, 0, DateTimeKind.Utc),
        [
            Line("2026-11-05 07:00:00", Prefix),                 // before any header
            W3cLogParserTests.DefaultFields,
            "2026-11-05 08:00:00 " + Prefix + " truncated",
            "garbage without the path",                          // not a candidate: not counted
            Line("2026-11-05 09:00:00", Prefix),
        ]));

        var scan = IisLogScanner.Scan(fs, All(fs), new IisLogQuery(Prefix, Since), "test", [], TestContext.Current.CancellationToken);

        Assert.Equal(2, scan.BadLines);
        Assert.Single(scan.Entries);
    }

    [Fact]
    public void A_cancelled_scan_throws_rather_than_returning_a_partial_answer()
    {
        var lines = new List<string> { W3cLogParserTests.DefaultFields };
        lines.AddRange(Enumerable.Range(0, 10_000).Select(_ => Line("2026-11-05 08:00:00", "/iisstart.htm")));
        var fs = Logs(("/logs/u_ex261105.log", new DateTime(2026, 11, 5, 23, 0, 0, DateTimeKind.Utc), [.. lines]));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => IisLogScanner.Scan(fs, All(fs), new IisLogQuery(Prefix, Since), "test", [], cancelled.Token));
    }

    [Fact]
    public void A_file_that_vanishes_is_a_host_facts_error_naming_it()
    {
        var fs = new MockFileSystem();

        var ex = Assert.Throws<HostFactsException>(() => IisLogScanner.Scan(fs, [new IisLogScanner.LogFile("/logs/u_ex261105.log", "W3SVC1/u_ex261105.log")],
            new IisLogQuery(Prefix, new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero)), "test", [], TestContext.Current.CancellationToken));

        Assert.Contains("W3SVC1/u_ex261105.log", ex.Message, StringComparison.Ordinal);
    }
}
