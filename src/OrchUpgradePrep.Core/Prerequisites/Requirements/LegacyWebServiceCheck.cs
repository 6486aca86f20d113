using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Http;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// Orchestrator 2022 replaces the legacy OData web service (<c>/Orchestrator2012/Orchestrator.svc</c>) with a JSON Web
/// API, and Service Manager's Orchestrator connector does not work with the new one (the 2022 release notes' known
/// issues, UR1–UR3). Before upgrading from 2019 or earlier, this check reads the web host's IIS W3C logs for the last
/// <see cref="DefaultDays"/> days and names every client that still calls the .svc (address, user agent, user, count,
/// last seen), leaving out orchprep's own requests (its User-Agent, <see cref="OrchprepUserAgent"/>). Clients in use are
/// a warning with the facts, never unmet: whether each one can move is the owner's call
/// (docs/adr/0021-legacy-web-service-from-iis-logs.md). Logs that cannot be read are an error, never met.
/// </summary>
public sealed class LegacyWebServiceCheck : ICheck
{
    public const string ReleaseNotes = IntegrationPacksCheck.ReleaseNotes;

    /// <summary>The legacy web service's URI stem on every version up to 2019 (docs/facts/orchestrator-versions.md).</summary>
    public const string ServicePath = "/Orchestrator2012/Orchestrator.svc";

    public const int DefaultDays = 30;

    /// <summary>The most clients listed one by one in evidence; the rest are counted.</summary>
    public const int MaxClientsListed = 20;

    /// <summary>The most log files named one by one in evidence; the rest are counted.</summary>
    public const int MaxFilesListed = 10;

    private const string ConnectorNotReadable =
        "Service Manager's Orchestrator connector keeps its web service URL in Service Manager's own database, which orchprep does not reach: " +
        "not readable from here. A connector that synchronises shows up above as a client of the .svc (what its requests send as user agent is unconfirmed).";

    public string Id => "requirements.legacy-web-service";
    public string Title => "No client still uses the legacy web service (Orchestrator.svc) that 2022 removes";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole> { HostRole.WebService };

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = UpgradePaths.LineOf(context.Target);
        var targetName = OrchestratorReleases.NameOf(target);
        if (target < OrchestratorLine.V2022)
        {
            return CheckOutcome.Skipped($"Orchestrator {targetName} still has the legacy web service (Orchestrator.svc); it is gone from 2022 on.");
        }

        var installed = await InstalledOrchestrator.ReadAsync(context.Facts.Registry, cancellationToken).ConfigureAwait(false);
        var evidence = new List<Evidence>
        {
            new(context.Facts.SourceDescription + ": installed Orchestrator", installed.Version is { } v ? OrchestratorReleases.Describe(v) : $"unknown ({installed.State})"),
        };
        if (installed.Version is { } version && OrchestratorReleases.LineOf(version) is { } line && line >= OrchestratorLine.V2022)
        {
            return CheckOutcome.Skipped($"The installed {OrchestratorReleases.Describe(version)} already has the Web API: the legacy web service was retired by an earlier upgrade.", [.. evidence]);
        }

        if (installed.State == InstallState.NotInstalled)
        {
            return CheckOutcome.Skipped("No Orchestrator component is installed on this host, so it serves no Orchestrator.svc.", [.. evidence]);
        }

        var days = DefaultDays;
        var since = context.Time.GetUtcNow().AddDays(-days);
        var window = string.Create(CultureInfo.InvariantCulture, $"the last {days} days (since {since:yyyy-MM-dd HH:mm} UTC)");
        if (context.Environment.WebService?.Url is { } url)
        {
            evidence.Add(new Evidence("config webService.url", string.Create(CultureInfo.InvariantCulture,
                $"{url.GetLeftPart(UriPartial.Path)} (port {url.Port}); the logs of every site are read, only {ServicePath} requests counted")));
        }

        IisLogScan scan;
        try
        {
            scan = await context.Facts.ReadIisLogRequestsAsync(new IisLogQuery(ServicePath, since), cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            evidence.Add(new Evidence(context.Facts.SourceDescription + ": IIS logs", "not read"));
            evidence.Add(new Evidence("Service Manager connector", ConnectorNotReadable));
            return CheckOutcome.Error(
                $"Whether anyone still calls the legacy web service is unknown: the IIS logs could not be read ({ex.Message}).",
                [.. evidence]);
        }

        var own = scan.Entries.Count(e => OrchprepUserAgent.Is(e.UserAgent));
        var clients = scan.Entries
            .Where(e => !OrchprepUserAgent.Is(e.UserAgent))
            .GroupBy(e => (Client: e.ClientIp ?? "(no address)", Agent: DecodeUserAgent(e.UserAgent) ?? "(no user agent)", User: e.UserName ?? "(anonymous)"))
            .Select(g => (g.Key.Client, g.Key.Agent, g.Key.User, Count: g.Count(), LastSeen: g.Max(e => e.Time)))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Client, StringComparer.Ordinal)
            .ToArray();
        var foreign = clients.Sum(c => c.Count);

        evidence.Add(new Evidence(scan.Source, $"looked back over {window}; {Files(scan.FilesRead)}"));
        evidence.Add(new Evidence(scan.Source, string.Create(CultureInfo.InvariantCulture,
            $"{scan.Entries.Count} {ServicePath} request(s) found; {own} of them orchprep's own (User-Agent {OrchprepUserAgent.Product}/…), left out; {foreign} from {clients.Length} other client(s)")));
        foreach (var client in clients.Take(MaxClientsListed))
        {
            evidence.Add(new Evidence(scan.Source, string.Create(CultureInfo.InvariantCulture,
                $"client {client.Client}, user agent \"{client.Agent}\", user {client.User}: {client.Count} request(s), last seen {client.LastSeen:yyyy-MM-dd HH:mm:ss} UTC")));
        }

        if (clients.Length > MaxClientsListed)
        {
            evidence.Add(new Evidence(scan.Source, string.Create(CultureInfo.InvariantCulture, $"… and {clients.Length - MaxClientsListed} more client(s) not listed")));
        }

        if (scan.BadLines > 0)
        {
            evidence.Add(new Evidence(scan.Source, string.Create(CultureInfo.InvariantCulture, $"{scan.BadLines} line(s) naming {ServicePath} could not be parsed (no #Fields: header, wrong number of values or an unreadable date) and were not counted")));
        }

        if (scan.Truncated)
        {
            evidence.Add(new Evidence(scan.Source, string.Create(CultureInfo.InvariantCulture, $"the scan stopped after {scan.Entries.Count} matching requests; older or later files were not read to the end")));
        }

        evidence.AddRange(scan.Notes.Select(n => new Evidence(scan.Source, n)));
        evidence.Add(new Evidence("Service Manager connector", ConnectorNotReadable));

        var remediation =
            $"Orchestrator {targetName} has no Orchestrator.svc. Tell each client's owner (the addresses and user agents above) before the upgrade: scripts and tools move to the " +
            "new Web API (/api/..., JSON); Service Manager's Orchestrator connector does not work with the Web API — Microsoft's workaround is to install the Orchestrator 2019 " +
            $"web features beside {targetName}, configured with the {targetName} database, and point the connector at that 2019 web service. Source: the 2022 release notes' known issues, {ReleaseNotes}.";

        if (clients.Length > 0)
        {
            var names = string.Join(", ", clients.Take(5).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Client} as {c.User} ({c.Agent}; {c.Count} request(s))")));
            return CheckOutcome.Warning(
                string.Create(CultureInfo.InvariantCulture,
                    $"{clients.Length} client(s) called the legacy web service in {window}, {foreign} request(s): {names}{(clients.Length > 5 ? ", …" : string.Empty)}. Orchestrator {targetName} removes it."),
                remediation,
                [.. evidence]);
        }

        if (scan.Truncated)
        {
            return CheckOutcome.Warning(
                string.Create(CultureInfo.InvariantCulture, $"The scan stopped after {scan.Entries.Count} requests, all orchprep's own; whether other clients use the legacy web service is not proven."),
                "Read the remaining IIS logs by hand (Log Parser or findstr /i \"Orchestrator.svc\"), or run the check again on a smaller log window.",
                [.. evidence]);
        }

        if (scan.FilesRead.Count == 0)
        {
            return CheckOutcome.Warning(
                $"No IIS log was written in {window}, so nothing shows whether the legacy web service is in use (logging may be off, or the logs moved).",
                "Check the web service site's logging in IIS Manager (Logging: W3C, enabled) and where it writes; then run the check again.",
                [.. evidence]);
        }

        return CheckOutcome.Met(
            string.Create(CultureInfo.InvariantCulture,
                $"The IIS logs of {window} show no use of the legacy web service except orchprep's own ({own} request(s) left out)."),
            [.. evidence]);
    }

    /// <summary>IIS logs a user agent's spaces as <c>+</c>.</summary>
    private static string? DecodeUserAgent(string? logged) => logged?.Replace('+', ' ');

    private static string Files(IReadOnlyList<string> files) => files.Count switch
    {
        0 => "no log file written in that time",
        <= MaxFilesListed => string.Create(CultureInfo.InvariantCulture, $"{files.Count} log file(s) read: {string.Join(", ", files)}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{files.Count} log file(s) read: {string.Join(", ", files.Take(MaxFilesListed))}, … and {files.Count - MaxFilesListed} more"),
    };
}
