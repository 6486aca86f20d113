namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// Where a check's <c>PlanUrl</c> may point: Azure DevOps Services (<c>https://dev.azure.com</c>, its release-management
/// host <c>https://vsrm.dev.azure.com</c>, <c>https://{organization}.visualstudio.com</c>) or an Azure DevOps Server origin listed in
/// <see cref="GateSettings.AzureDevOpsServerUrlsVariable"/>. Every call back carries the job token and the report, so
/// a caller that knows the shared secret must not be able to send them to a host of its choosing.
/// </summary>
public sealed class AzureDevOpsHosts
{
    // Matched exactly. vsrm: where classic release pipelines live (whether a classic release gate's PlanUrl names it is unconfirmed).
    private static readonly string[] ServicesHosts = ["dev.azure.com", "vsrm.dev.azure.com"];

    private readonly IReadOnlyList<Uri> _serverOrigins;

    public AzureDevOpsHosts(IReadOnlyList<Uri> serverOrigins) => _serverOrigins = serverOrigins;

    public bool Allows(Uri planUrl)
    {
        ArgumentNullException.ThrowIfNull(planUrl);
        if (!planUrl.IsAbsoluteUri)
        {
            return false;
        }

        if (planUrl.Scheme == Uri.UriSchemeHttps && planUrl.IsDefaultPort &&
            (ServicesHosts.Contains(planUrl.IdnHost, StringComparer.OrdinalIgnoreCase) || IsVisualStudioOrganization(planUrl.IdnHost)))
        {
            return true;
        }

        return _serverOrigins.Any(origin =>
            string.Equals(origin.Scheme, planUrl.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(origin.IdnHost, planUrl.IdnHost, StringComparison.OrdinalIgnoreCase) &&
            origin.Port == planUrl.Port);
    }

    /// <summary>What a 400 says is allowed (origins only, nothing secret).</summary>
    public string Describe() =>
        "https://dev.azure.com, https://vsrm.dev.azure.com, https://*.visualstudio.com" +
        (_serverOrigins.Count == 0 ? "" : ", " + string.Join(", ", _serverOrigins.Select(o => o.GetLeftPart(UriPartial.Authority))));

    // Any name under visualstudio.com (contoso.visualstudio.com, contoso.vsrm.visualstudio.com): Microsoft's zone.
    // EndsWith on the dotted suffix keeps "visualstudio.com.evil.example" and "evilvisualstudio.com" out.
    private static bool IsVisualStudioOrganization(string host) =>
        host.Length > ".visualstudio.com".Length && host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase);
}
