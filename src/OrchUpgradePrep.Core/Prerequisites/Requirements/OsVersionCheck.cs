using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>The host runs a Windows Server release the target version supports, decided by build number.</summary>
public sealed class OsVersionCheck : ICheck
{
    public string Id => "requirements.os-version";
    public string Title => "Windows Server version is supported by the target";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Servers;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        var os = await context.Facts.GetOperatingSystemAsync(cancellationToken).ConfigureAwait(false);
        var evidence = new Evidence(os.Source, $"{os.Caption}, version {os.Version}, build {os.Build}, installation type {os.InstallationType ?? "(unknown)"}");
        var supported = string.Join(", ", table.SupportedServers);
        var release = WindowsServerRelease.ForBuild(os.Build);
        var unconfirmed = table.Confirmed ? string.Empty : $" The {table.Name} OS list is unconfirmed.";

        // Windows 10/11 share build numbers with Server releases: a client is told by InstallationType, or by
        // its caption when the source does not record the installation type.
        var isClient = string.Equals(os.InstallationType, "Client", StringComparison.OrdinalIgnoreCase)
            || (os.InstallationType is null && !os.Caption.Contains("Server", StringComparison.OrdinalIgnoreCase));
        if (isClient)
        {
            return CheckOutcome.Unmet(
                $"{os.Caption} is a client edition; Orchestrator {table.Name} server roles need {supported}.{unconfirmed}",
                $"Move this role to a server running {supported}. Source: {table.Cite}.",
                evidence);
        }

        if (release is not null && table.SupportedServers.Contains(release))
        {
            var note = release.Confirmed ? string.Empty : $" (build {release.Build} for {release.Name} is unconfirmed)";
            return CheckOutcome.Met($"{release.Name}{note} is supported by Orchestrator {table.Name}.{unconfirmed}", evidence);
        }

        var what = release is null ? $"build {os.Build} is not a Windows Server release this tool knows" : $"{release} is not supported";
        return CheckOutcome.Unmet(
            $"{os.Caption}: {what}; Orchestrator {table.Name} supports {supported}.{unconfirmed}",
            $"Upgrade or replace the OS of this host with {supported} before the Orchestrator upgrade (upgrade order step 3: hardware, OS, software). Source: {table.Cite}.",
            evidence);
    }
}
