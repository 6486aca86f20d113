using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>The web service / Web API and web console run in IIS: <c>HKLM\SOFTWARE\Microsoft\InetStp</c> with
/// <c>MajorVersion</c> says IIS is installed; the key absent says it is not (docs/facts/host-facts.md#iis).</summary>
public sealed class IisCheck : ICheck
{
    public const string InetStpKey = @"SOFTWARE\Microsoft\InetStp";

    public string Id => "requirements.iis";
    public string Title => "IIS is installed on web hosts";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Web;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        if (!table.IisForWebRoles)
        {
            return CheckOutcome.Skipped($"Orchestrator {table.Name} does not need IIS.");
        }

        var key = await context.Facts.Registry.ReadKeyAsync(InetStpKey, cancellationToken).ConfigureAwait(false);
        var remediation = $"Install IIS (Install-WindowsFeature Web-Server -IncludeManagementTools) on this web host before the upgrade. Source: {table.Cite}.";
        switch (key.Presence)
        {
            case RegistryKeyPresence.Unknown:
                return CheckOutcome.Error($"The source does not hold {key.Location()} ({key.Source}); export it to check IIS.", new Evidence(key.Location(), "not exported"));
            case RegistryKeyPresence.Absent:
                return CheckOutcome.Unmet($"IIS is not installed; Orchestrator {table.Name}'s web components need it.", remediation, new Evidence(key.Location(), "key absent"));
        }

        if (key.Value("MajorVersion") is { Data: uint major } value)
        {
            var minor = key.Value("MinorVersion")?.Data as uint? ?? 0;
            return CheckOutcome.Met($"IIS {major}.{minor} is installed.", new Evidence(key.Location("MajorVersion"), value.Describe()));
        }

        return CheckOutcome.Unmet(
            "The InetStp key exists but has no MajorVersion: IIS is removed or damaged.",
            remediation,
            new Evidence(key.Location(), "present, no MajorVersion value"));
    }
}
