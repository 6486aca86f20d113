using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>2016 and later run on Windows Server with Desktop Experience only, never Server Core.</summary>
public sealed class DesktopExperienceCheck : ICheck
{
    public string Id => "requirements.desktop-experience";
    public string Title => "Windows Server has Desktop Experience (not Server Core)";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Servers;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = RequirementTable.For(context.Target);
        if (!table.DesktopExperienceRequired)
        {
            return CheckOutcome.Skipped($"Orchestrator {table.Name} does not require Desktop Experience.");
        }

        var os = await context.Facts.GetOperatingSystemAsync(cancellationToken).ConfigureAwait(false);
        var evidence = new Evidence(os.Source, $"InstallationType {(os.InstallationType is null ? "(not recorded)" : $"\"{os.InstallationType}\"")}");
        return os.InstallationType switch
        {
            null => CheckOutcome.Error("The installation type (Server, Server Core) is unknown: the source does not record InstallationType.", evidence),
            var t when t.Equals("Server Core", StringComparison.OrdinalIgnoreCase) => CheckOutcome.Unmet(
                $"This host runs Server Core; Orchestrator {table.Name} needs Windows Server with Desktop Experience.",
                $"Reinstall this host with Desktop Experience (Server Core cannot be converted in place on 2016 and later) or move the role to such a host. Source: {table.Cite}.",
                evidence),
            _ => CheckOutcome.Met($"Installation type \"{os.InstallationType}\" has the desktop Orchestrator {table.Name} needs.", evidence),
        };
    }
}
