using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Accounts;

/// <summary>
/// The logon account of each Orchestrator service on the host (omanagement, orunbook, omonitor, oremoting:
/// Win32_Service.StartName): its name, whether it is a gMSA, a domain, local or built-in account, and — where the
/// source can read it — whether it is locked out, disabled or its password expired. Setup asks for the service
/// account's password during the upgrade and the services must start again afterwards: a broken account is unmet;
/// an account whose state cannot be read here (a domain account) is a warning, never a pass.
/// </summary>
public sealed class ServiceAccountsCheck : ICheck
{
    /// <summary>The Orchestrator service short names (docs/facts/orchestrator-versions.md#services).</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["omanagement", "orunbook", "omonitor", "oremoting"];

    public string Id => "accounts.service";
    public string Title => "Orchestrator services log on with working accounts";
    public Prerequisite Prerequisite => Prerequisite.Accounts;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole> { HostRole.ManagementServer, HostRole.RunbookServer };

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.Facts.HostName;
        IReadOnlyList<ServiceInfo> services;
        try
        {
            services = await context.Facts.GetServicesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return CheckOutcome.Error($"The services of {host} are unknown: {ex.Message}", new Evidence($"{context.Facts.SourceDescription}: Win32_Service", "unknown"));
        }

        var orchestrator = services.Where(s => ServiceNames.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (orchestrator.Count == 0)
        {
            return CheckOutcome.Skipped($"No Orchestrator service ({string.Join(", ", ServiceNames)}) is installed on {host}.",
                new Evidence($"{context.Facts.SourceDescription}: Win32_Service", $"{services.Count} services, none of Orchestrator's"));
        }

        var evidence = new List<Evidence>();
        var broken = new List<string>();
        var unknown = new List<string>();
        foreach (var service in orchestrator)
        {
            var source = $"{context.Facts.SourceDescription}: service {service.Name}";
            if (string.IsNullOrWhiteSpace(service.StartName))
            {
                unknown.Add($"{service.Name} (logon account not read)");
                evidence.Add(new Evidence(source, "logon account unknown (StartName not in the source)"));
                continue;
            }

            var account = service.StartName;
            var kind = AccountNames.KindOf(account, host);
            if (kind == "built-in")
            {
                evidence.Add(new Evidence(source, $"{account} (built-in: no password to expire or lock)"));
                continue;
            }

            AccountState? state;
            try
            {
                state = await context.Facts.GetAccountStateAsync(account, cancellationToken).ConfigureAwait(false);
            }
            catch (HostFactsException ex)
            {
                state = null;
                evidence.Add(new Evidence(source, $"{account} ({kind}); state unreadable: {ex.Message}"));
                unknown.Add($"{service.Name} as {account}");
                continue;
            }

            if (state is null || state.LockedOut is null || state.Disabled is null || (state.PasswordExpired is null && kind != "gMSA"))
            {
                evidence.Add(new Evidence(source, $"{account} ({kind}); {Describe(state)}"));
                unknown.Add($"{service.Name} as {account}");
                continue;
            }

            evidence.Add(new Evidence(source, $"{account} ({kind}); {Describe(state)} ({state.Source})"));
            var problems = new List<string>();
            if (state.LockedOut == true)
            {
                problems.Add("locked out");
            }

            if (state.Disabled == true)
            {
                problems.Add("disabled");
            }

            if (state.PasswordExpired == true)
            {
                problems.Add("password expired");
            }

            if (problems.Count > 0)
            {
                broken.Add($"{service.Name} as {account}: {string.Join(", ", problems)}");
            }
        }

        if (broken.Count > 0)
        {
            return CheckOutcome.Unmet(
                $"Orchestrator service account(s) on {host} cannot log on: {string.Join("; ", broken)}.",
                "Unlock, enable or reset the password of each account named here (and update the services' logon password), or move the services to a gMSA, before the upgrade: Setup asks for the service account and the services must start again afterwards.",
                [.. evidence]);
        }

        if (unknown.Count > 0)
        {
            return CheckOutcome.Warning(
                $"Whether these Orchestrator service accounts on {host} can log on is unknown: {string.Join("; ", unknown)}.",
                "Check in Active Directory that each account is enabled, not locked out and its password not expired (Get-ADUser -Properties LockedOut, Enabled, PasswordExpired), and have its password at hand for Setup.",
                [.. evidence]);
        }

        return CheckOutcome.Met($"Every Orchestrator service on {host} logs on with an account that is not locked out, disabled or expired.", [.. evidence]);
    }

    private static string Describe(AccountState? state) => state is null
        ? "lockout and expiry not readable here"
        : $"locked out: {YesNo(state.LockedOut)}, disabled: {YesNo(state.Disabled)}, password expired: {YesNo(state.PasswordExpired)}";

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "unknown" };
}
