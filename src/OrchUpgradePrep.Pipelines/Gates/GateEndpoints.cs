namespace OrchUpgradePrep.Pipelines.Gates;

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

        return endpoints;
    }
}
