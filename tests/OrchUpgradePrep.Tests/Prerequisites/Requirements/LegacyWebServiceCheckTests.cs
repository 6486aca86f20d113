using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Tests.Fakes;
using Xunit;

namespace OrchUpgradePrep.Tests.Prerequisites.Requirements;

public sealed class LegacyWebServiceCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private const string Svc = "/Orchestrator2012/Orchestrator.svc/Jobs";

    private static IisLogEntry Request(string client, string? agent, string? user = null, double daysAgo = 1) =>
        new(Now.AddDays(-daysAgo), client, agent, user, Svc, 200);

    private static IisLogScan Scan(params IisLogEntry[] entries) =>
        new(entries, ["orch-web01/iis-logs/W3SVC1/u_ex261206.log"], 0, false, "fake: iis-logs", []);

    private static FakeHostFacts WebHost(string? installed = "10.19.126.0", IisLogScan? logs = null)
    {
        var host = RequirementFixtures.Host();
        if (installed is not null)
        {
            host.WithOrchestrator(installed);
        }

        host.IisLogs = logs;
        return host;
    }

    private static Task<CheckOutcome> Run(FakeHostFacts host, TargetVersion target = TargetVersion.V2022) =>
        new LegacyWebServiceCheck().RunAsync(
            new CheckContext
            {
                Environment = new EnvironmentConfig
                {
                    Name = "test",
                    Target = target,
                    WebService = new WebServiceConfig { Url = new Uri("http://orch-web01:81/Orchestrator2012/Orchestrator.svc/") },
                },
                Target = target,
                Host = new HostConfig { Name = host.HostName, Roles = [HostRole.WebService] },
                HostFacts = host,
                Time = new FakeTimeProvider(Now),
            },
            TestContext.Current.CancellationToken);

    [Fact]
    public void Runs_on_web_service_hosts_only()
    {
        Assert.Equal([HostRole.WebService], new LegacyWebServiceCheck().Roles);
    }

    [Fact]
    public async Task Only_orchpreps_own_requests_is_met_and_says_how_many_were_left_out()
    {
        var host = WebHost(logs: Scan(Request("10.0.0.5", "orchprep/1.4.0"), Request("10.0.0.5", "orchprep/1.3.2", daysAgo: 20)));

        var outcome = await Run(host);

        Assert.Equal(CheckStatus.Met, outcome.Status);
        Assert.Contains("2 request(s) left out", outcome.Detail, StringComparison.Ordinal);
        RequirementFixtures.AssertEvidenceMentions(outcome, "2 of them orchprep's own");
        RequirementFixtures.AssertEvidenceMentions(outcome, "u_ex261206.log");
        RequirementFixtures.AssertEvidenceMentions(outcome, "(port 81)");
        var query = Assert.Single(host.IisLogQueries);
        Assert.Equal(("/Orchestrator2012/Orchestrator.svc", Now.AddDays(-30)), (query.UriStemPrefix, query.Since));
    }

    [Fact]
    public async Task Other_clients_are_a_warning_naming_each_with_count_user_agent_user_and_last_seen()
    {
        var host = WebHost(logs: Scan(
            Request("10.0.0.31", null, @"CONTOSO\svc-scsm", daysAgo: 9),
            Request("10.0.0.31", null, @"CONTOSO\svc-scsm", daysAgo: 1),
            Request("10.0.0.57", "Mozilla/5.0+(Windows+NT)+WindowsPowerShell/5.1", @"CONTOSO\jdoe", daysAgo: 0.5),
            Request("10.0.0.5", "orchprep/1.4.0")));

        var outcome = await Run(host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("2 client(s)", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(@"10.0.0.31 as CONTOSO\svc-scsm", outcome.Detail, StringComparison.Ordinal);
        RequirementFixtures.AssertEvidenceMentions(outcome, @"client 10.0.0.31, user agent ""(no user agent)"", user CONTOSO\svc-scsm: 2 request(s), last seen 2026-12-06 12:00:00 UTC");
        RequirementFixtures.AssertEvidenceMentions(outcome, @"client 10.0.0.57, user agent ""Mozilla/5.0 (Windows NT) WindowsPowerShell/5.1"", user CONTOSO\jdoe: 1 request(s)");
        RequirementFixtures.AssertEvidenceMentions(outcome, "1 of them orchprep's own");
        RequirementFixtures.AssertEvidenceMentions(outcome, "not readable from here");
        Assert.Contains(LegacyWebServiceCheck.ReleaseNotes, outcome.Remediation, StringComparison.Ordinal);
        Assert.Contains("Orchestrator 2019 web features beside 2022", outcome.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_clients_are_listed_up_to_the_bound_and_the_rest_counted()
    {
        var entries = Enumerable.Range(1, LegacyWebServiceCheck.MaxClientsListed + 3).Select(i => Request($"10.0.1.{i}", "curl/8.0")).ToArray();

        var outcome = await Run(WebHost(logs: Scan(entries)));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Equal(LegacyWebServiceCheck.MaxClientsListed, outcome.Evidence.Count(e => e.Value.StartsWith("client ", StringComparison.Ordinal)));
        RequirementFixtures.AssertEvidenceMentions(outcome, "… and 3 more client(s) not listed");
    }

    [Fact]
    public async Task Logs_that_cannot_be_read_are_an_error_never_met()
    {
        var outcome = await Run(WebHost(logs: null));

        Assert.Equal(CheckStatus.Error, outcome.Status);
        Assert.Contains("access denied reading the IIS log folder", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("unknown", outcome.Detail, StringComparison.Ordinal);
        RequirementFixtures.AssertEvidenceMentions(outcome, "not readable from here");
    }

    [Fact]
    public async Task A_scan_that_stopped_at_its_bound_is_not_met_even_when_every_request_read_was_orchpreps()
    {
        var scan = Scan(Request("10.0.0.5", "orchprep/1.4.0")) with { Truncated = true };

        var outcome = await Run(WebHost(logs: scan));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        RequirementFixtures.AssertEvidenceMentions(outcome, "the scan stopped after 1 matching requests");
    }

    [Fact]
    public async Task No_log_file_in_the_window_is_a_warning_not_met()
    {
        var scan = new IisLogScan([], [], 0, false, "fake: iis-logs", ["site 'Default Web Site' (id 1) has logging off: its requests are not in any log"]);

        var outcome = await Run(WebHost(logs: scan));

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("No IIS log was written", outcome.Detail, StringComparison.Ordinal);
        RequirementFixtures.AssertEvidenceMentions(outcome, "has logging off");
    }

    [Fact]
    public async Task Unparseable_lines_are_reported_not_hidden()
    {
        var scan = Scan(Request("10.0.0.5", "orchprep/1.4.0")) with { BadLines = 4 };

        var outcome = await Run(WebHost(logs: scan));

        Assert.Equal(CheckStatus.Met, outcome.Status);
        RequirementFixtures.AssertEvidenceMentions(outcome, "4 line(s) naming /Orchestrator2012/Orchestrator.svc could not be parsed");
    }

    [Fact]
    public async Task A_target_before_2022_keeps_the_service_and_is_skipped_without_reading_logs()
    {
        var host = WebHost(logs: Scan(Request("10.0.0.31", null)));

        var outcome = await Run(host, TargetVersion.V2019);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Empty(host.IisLogQueries);
    }

    [Fact]
    public async Task An_installed_2022_already_lost_the_service_and_is_skipped()
    {
        var host = WebHost(installed: "10.22.10.2", logs: Scan(Request("10.0.0.31", null)));

        var outcome = await Run(host, TargetVersion.V2025);

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("already has the Web API", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(host.IisLogQueries);
    }

    [Fact]
    public async Task A_2025_target_from_2019_is_judged_too()
    {
        var outcome = await Run(WebHost(logs: Scan(Request("10.0.0.31", null))), TargetVersion.V2025);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        Assert.Contains("Orchestrator 2025 removes it", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_Orchestrator_on_the_host_is_skipped()
    {
        var outcome = await Run(WebHost(installed: null, logs: Scan(Request("10.0.0.31", null))));

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
    }

    [Fact]
    public async Task An_unknown_installed_version_still_reads_the_logs_and_says_so()
    {
        var host = WebHost(installed: null, logs: Scan(Request("10.0.0.31", null)));
        host.FakeRegistry.KnownRoots.Clear();
        host.FakeRegistry.KnownRoots.Add(@"SOFTWARE\Nothing");

        var outcome = await Run(host);

        Assert.Equal(CheckStatus.Warning, outcome.Status);
        RequirementFixtures.AssertEvidenceMentions(outcome, "unknown (Unknown)");
    }
}
