using OrchUpgradePrep.Platform.HostFacts.IisLogs;
using Xunit;

namespace OrchUpgradePrep.Tests.Platform.HostFacts.IisLogs;

public sealed class W3cLogParserTests
{
    internal const string DefaultFields =
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    [Fact]
    public void A_request_under_the_default_fields_gives_its_time_client_agent_user_stem_and_status()
    {
        var parser = new W3cLogParser();
        Assert.Equal(W3cLogParser.LineKind.Directive, parser.Parse("#Software: Microsoft Internet Information Services 10.0").Kind);
        Assert.Equal(W3cLogParser.LineKind.Directive, parser.Parse(DefaultFields).Kind);

        var line = parser.Parse(@"2026-12-01 08:15:02 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc/Jobs $top=1 81 CONTOSO\jdoe 10.0.0.57 Mozilla/5.0+(Windows+NT)+WindowsPowerShell/5.1 - 200 0 0 31");

        Assert.Equal(W3cLogParser.LineKind.Entry, line.Kind);
        var entry = line.Entry!;
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 15, 2, TimeSpan.Zero), entry.Time);
        Assert.Equal(("10.0.0.57", "Mozilla/5.0+(Windows+NT)+WindowsPowerShell/5.1", @"CONTOSO\jdoe", "/Orchestrator2012/Orchestrator.svc/Jobs", (int?)200),
            (entry.ClientIp, entry.UserAgent, entry.UserName, entry.UriStem, entry.Status));
    }

    [Fact]
    public void A_dash_means_not_logged_and_gives_null()
    {
        var parser = new W3cLogParser();
        parser.Parse(DefaultFields);

        var entry = parser.Parse("2026-12-01 08:15:02 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.31 - - - 0 0 31").Entry!;

        Assert.Null(entry.UserName);
        Assert.Null(entry.UserAgent);
        Assert.Null(entry.Status);
        Assert.Equal("10.0.0.31", entry.ClientIp);
    }

    [Fact]
    public void A_new_fields_header_mid_file_changes_the_column_order()
    {
        var parser = new W3cLogParser();
        parser.Parse(DefaultFields);
        Assert.Equal("10.0.0.1", parser.Parse("2026-12-01 08:00:00 10.0.0.20 GET /a - 81 - 10.0.0.1 - - 200 0 0 1").Entry!.ClientIp);

        parser.Parse("#Fields: c-ip cs-uri-stem time date sc-status");
        var entry = parser.Parse("10.0.0.9 /Orchestrator2012/Orchestrator.svc 09:30:00 2026-12-02 401").Entry!;

        Assert.Equal(("10.0.0.9", "/Orchestrator2012/Orchestrator.svc", (int?)401, (string?)null), (entry.ClientIp, entry.UriStem, entry.Status, entry.UserAgent));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero), entry.Time);
    }

    [Theory]
    [InlineData("2026-12-01 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.1 - - 200 0 0")]           // a value short
    [InlineData("2026-12-01 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.1 - - 200 0 0 1 extra")]   // a value too many
    [InlineData("2026-13-01 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.1 - - 200 0 0 1")]         // no 13th month
    [InlineData("01/12/2026 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.1 - - 200 0 0 1")]         // not the W3C date
    [InlineData("2026-12-01 08:00:00 10.0.0.20 GET - - 81 - 10.0.0.1 - - 200 0 0 1")]                                           // no stem
    [InlineData("\u0000\u0001 garbage")]
    public void A_line_that_does_not_fit_the_header_is_bad_not_a_request(string text)
    {
        var parser = new W3cLogParser();
        parser.Parse(DefaultFields);

        var line = parser.Parse(text);

        Assert.Equal(W3cLogParser.LineKind.Bad, line.Kind);
        Assert.Null(line.Entry);
    }

    [Fact]
    public void A_request_before_any_fields_header_is_bad()
    {
        Assert.Equal(W3cLogParser.LineKind.Bad, new W3cLogParser().Parse("2026-12-01 08:00:00 10.0.0.20 GET /Orchestrator2012/Orchestrator.svc - 81 - 10.0.0.1 - - 200 0 0 1").Kind);
    }

    [Fact]
    public void A_header_without_date_time_or_stem_makes_its_lines_bad()
    {
        var parser = new W3cLogParser();
        parser.Parse("#Fields: time c-ip cs-uri-stem");

        Assert.Equal(W3cLogParser.LineKind.Bad, parser.Parse("08:00:00 10.0.0.1 /Orchestrator2012/Orchestrator.svc").Kind);
    }

    [Fact]
    public void Empty_lines_and_other_directives_are_skipped()
    {
        var parser = new W3cLogParser();
        Assert.Equal(W3cLogParser.LineKind.Directive, parser.Parse(string.Empty).Kind);
        Assert.Equal(W3cLogParser.LineKind.Directive, parser.Parse("   ").Kind);
        Assert.Equal(W3cLogParser.LineKind.Directive, parser.Parse("#Date: 2026-12-01 00:00:00").Kind);
    }
}
