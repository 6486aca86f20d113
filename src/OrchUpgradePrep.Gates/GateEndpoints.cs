using OrchUpgradePrep.Gates.AzureDevOps;

namespace OrchUpgradePrep.Gates;

/// <summary>The endpoints the settings enable: GitHub when its webhook secret is set, Azure DevOps when its check secret is.</summary>
public static class GateEndpoints
{
    public static IReadOnlyList<IGateEndpoint> Create(GateSettings settings, EnvironmentGate gate, GateBackgroundWork work, GateLog log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoints = new List<IGateEndpoint>();
        if (!string.IsNullOrEmpty(settings.WebhookSecret))
        {
            endpoints.Add(GitHub.GitHubWebhookEndpoint.Create(settings, gate, work, log, time));
        }

        if (settings.AzureDevOpsSecret is not null)
        {
            // One client for the service's lifetime: connections are pooled across checks.
            var options = new AzureDevOpsClientOptions();
            var client = new AzureDevOpsPlanClient(AzureDevOpsPlanClient.CreateHttpClient(options), options, time);
            endpoints.Add(new AzureDevOpsCheckEndpoint(settings, gate, work, log, client, options, time));
        }

        return endpoints;
    }
}
