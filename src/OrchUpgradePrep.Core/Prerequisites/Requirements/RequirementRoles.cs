using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>Which hosts each kind of requirement applies to. Designer machines may run a client OS, which the
/// requirement table does not cover, so OS checks apply to server roles only.</summary>
internal static class RequirementRoles
{
    public static IReadOnlySet<HostRole> Servers { get; } = new HashSet<HostRole> { HostRole.ManagementServer, HostRole.RunbookServer, HostRole.WebService, HostRole.WebConsole };

    public static IReadOnlySet<HostRole> Web { get; } = new HashSet<HostRole> { HostRole.WebService, HostRole.WebConsole };

    /// <summary>Empty = every host, Designer machines included.</summary>
    public static IReadOnlySet<HostRole> Every { get; } = new HashSet<HostRole>();
}
