using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Accounts;

/// <summary>
/// The account the upgrade will run as (policies.upgradeAccount, default the account orchprep runs as) is a local
/// Administrator on the host, not only a member of OrchestratorSystemGroup: every upgrade uninstalls the old version,
/// and an uninstall run by a non-administrator member empties OrchestratorSystemGroup, after which the Runbook Service
/// can no longer read its database connection (SCD install page, troubleshooting). Group members are read through the
/// host facts (live Win32_GroupUser; snapshot host.json localGroups); domain groups in Administrators cannot be
/// expanded on the host, so membership through one is a warning, never a pass.
/// </summary>
public sealed class UpgradeAdminCheck : ICheck
{
    public const string Administrators = "Administrators";
    public const string OrchestratorSystemGroup = "OrchestratorSystemGroup";
    public const string InstallPage = "https://learn.microsoft.com/system-center/orchestrator/install";

    public string Id => "accounts.upgrade-admin";
    public string Title => "The upgrade account is a local Administrator";
    public Prerequisite Prerequisite => Prerequisite.Accounts;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = context.Environment.Policies.UpgradeAccount;
        var account = configured ?? context.RunAs;
        var whose = configured is null ? "the account orchprep runs as (policies.upgradeAccount not set)" : "policies.upgradeAccount";
        var host = context.Facts.HostName;
        var evidence = new List<Evidence> { new(whose, account) };

        IReadOnlyList<GroupMember> admins;
        try
        {
            admins = await context.Facts.GetLocalGroupMembersAsync(Administrators, cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            evidence.Add(new Evidence($"{context.Facts.SourceDescription}: local group {Administrators}", "unknown"));
            return CheckOutcome.Error($"Whether {account} is a local Administrator on {host} is unknown: {ex.Message}", [.. evidence]);
        }

        evidence.Add(new Evidence($"{context.Facts.SourceDescription}: local group {Administrators}", Describe(admins)));
        if (admins.Any(m => AccountNames.Same(m.Name, account, host)))
        {
            return CheckOutcome.Met($"{account} is a member of the local Administrators group on {host}.", [.. evidence]);
        }

        bool? inOrchestratorGroup;
        try
        {
            var members = await context.Facts.GetLocalGroupMembersAsync(OrchestratorSystemGroup, cancellationToken).ConfigureAwait(false);
            inOrchestratorGroup = members.Any(m => AccountNames.Same(m.Name, account, host));
            evidence.Add(new Evidence($"{context.Facts.SourceDescription}: local group {OrchestratorSystemGroup}", Describe(members)));
        }
        catch (HostFactsException ex)
        {
            inOrchestratorGroup = null;
            evidence.Add(new Evidence($"{context.Facts.SourceDescription}: local group {OrchestratorSystemGroup}", $"unknown: {ex.Message}"));
        }

        var onlyOrchestrator = inOrchestratorGroup == true
            ? $" It is a member of {OrchestratorSystemGroup} only: an uninstall run as a non-administrator member empties that group, and the Runbook Service can then no longer start."
            : string.Empty;
        var remediation = $"Add {account} to the local Administrators group on {host} (directly, or through a domain group) before the upgrade, or run the upgrade as an account that is. Source: {InstallPage} (troubleshooting).";
        var domainGroups = admins.Where(m => m.Kind == "Group" && !IsLocalOrBuiltIn(m.Name, host)).Select(m => m.Name).ToList();
        if (domainGroups.Count > 0)
        {
            return CheckOutcome.Warning(
                $"{account} is not a direct member of Administrators on {host}; it may be one through {string.Join(", ", domainGroups)}, which orchprep cannot expand on the host.{onlyOrchestrator}",
                "Confirm with `whoami /groups` run as that account on the host (BUILTIN\\Administrators listed), or add the account directly. " + remediation,
                [.. evidence]);
        }

        return CheckOutcome.Unmet($"{account} is not a local Administrator on {host}.{onlyOrchestrator}", remediation, [.. evidence]);
    }

    private static string Describe(IReadOnlyList<GroupMember> members) =>
        members.Count == 0 ? "(no members)" : string.Join(", ", members.Select(m => m.Kind == "Group" ? $"{m.Name} (group)" : m.Name));

    private static bool IsLocalOrBuiltIn(string name, string host) =>
        name.StartsWith(@"BUILTIN\", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(@"NT AUTHORITY\", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(host.Split('.')[0] + @"\", StringComparison.OrdinalIgnoreCase);
}
