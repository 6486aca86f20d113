using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Prerequisites.Requirements;
using OrchUpgradePrep.Prerequisites.Runbooks;

namespace OrchUpgradePrep.Catalog;

/// <summary>
/// Which management services prepare's block-starts step stops besides the Runbook Services: the Runbook Server
/// Monitor and the Remoting Service on each management server whose installed Orchestrator is 2022 or later, whose
/// release notes say they may not stop (docs/facts/orchestrator-versions.md#services-that-do-not-stop). Up to 2019, or
/// when the installed version cannot be read, they are left running and the reason goes into the step's evidence.
/// Here because it joins two prerequisites: the installed version (Requirements) and the stop list (Runbooks)
/// (docs/adr/0024-stop-omonitor-oremoting-on-2022.md).
/// </summary>
public static class ManagementServiceStops
{
    private static readonly string Services = string.Join(", ", ServiceStopPlan.ManagementServices.Select(s => s.Name));

    public static async Task<ServiceStopPlan> PlanAsync(EnvironmentConfig environment, IHostFactsSource facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(facts);
        var stops = new List<PlannedServiceStop>();
        var reasons = new List<Evidence>();
        foreach (var host in environment.Hosts.Where(h => h.Roles.Contains(HostRole.ManagementServer)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? notStopped;
            try
            {
                var installed = await InstalledOrchestrator.ReadAsync(facts.For(host).Registry, cancellationToken).ConfigureAwait(false);
                notStopped = WhyNotStopped(installed);
            }
            catch (Exception ex) when (ex is HostFactsException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException or PlatformNotSupportedException)
            {
                notStopped = $"the installed Orchestrator version is unknown (its registry could not be read: {ex.Message}), so they are not stopped; the known issue that they may not stop is documented for 2022";
            }

            if (notStopped is null)
            {
                stops.AddRange(ServiceStopPlan.ManagementServices.Select(s => new PlannedServiceStop(host.Name, s)));
            }
            else
            {
                reasons.Add(new Evidence($"{host.Name}: {Services}", $"not stopped: {notStopped}"));
            }
        }

        return new ServiceStopPlan { Stops = stops, Reasons = reasons };
    }

    /// <summary>Null when the services are to be stopped (2022 or later); else why not.</summary>
    private static string? WhyNotStopped(InstalledOrchestrator installed)
    {
        const string Documented = "the known issue that they may not stop is documented for Orchestrator 2022";
        switch (installed.State)
        {
            case InstallState.Unknown:
                return $"the installed Orchestrator version is unknown (the source does not hold {string.Join(" or ", installed.UnknownKeys)}), so they are not stopped; {Documented}";
            case InstallState.NotInstalled:
                return $"no Orchestrator installation found in the registry; {Documented}";
        }

        if (installed.Version is not { } version)
        {
            return $"the installed Orchestrator version is unknown (no uninstall entry gives a readable DisplayVersion), so they are not stopped; {Documented}";
        }

        return OrchestratorReleases.LineOf(version) switch
        {
            null => $"the installed {OrchestratorReleases.Describe(version)} is not a known release, so they are not stopped; {Documented}",
            < OrchestratorLine.V2022 => $"the installed Orchestrator is {OrchestratorReleases.Describe(version)}; {Documented}, and setup stops them itself",
            _ => null,
        };
    }
}
