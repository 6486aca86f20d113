namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// The api-version of every call, pinned in this one place. Events: 7.1 (Azure DevOps Services; Server 2022 accepts up
/// to 7.0, 2020 up to 6.0, 2019 up to 5.0 — older servers need <c>2.0-preview.1</c>, which the samples use). Logs and
/// timeline records: 4.1, which the check samples use and every supported server and Services accept.
/// </summary>
public static class AzureDevOpsApiVersions
{
    public const string Events = "7.1";
    public const string Logs = "4.1";
    public const string TimelineRecords = "4.1";
}
