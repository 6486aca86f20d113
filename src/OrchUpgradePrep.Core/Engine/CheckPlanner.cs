using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Engine;

/// <summary>Decides which checks apply to which host of an environment, in a stable order (prerequisite, check, host).</summary>
public static class CheckPlanner
{
    public static IReadOnlyList<PlannedCheck> Plan(IEnumerable<ICheck> catalog, EnvironmentConfig environment, CheckSelection selection)
    {
        var plan = new List<PlannedCheck>();
        var policySkips = environment.Policies.Restart.Skip;
        foreach (var check in catalog.Where(selection.IsSelected).OrderBy(c => c.Prerequisite).ThenBy(c => c.Id, StringComparer.Ordinal))
        {
            // A skip is reported, not hidden: a gate reviewer must see what was not checked and why.
            var skipReason = selection.IsSkipped(check)
                ? "skipped by --skip"
                : policySkips.FirstOrDefault(s => string.Equals(s.Id, check.Id, StringComparison.OrdinalIgnoreCase)) is { } policy
                    ? $"skipped by policy: {policy.Reason}"
                    : null;

            if (check.Scope == CheckScope.Environment)
            {
                plan.Add(new PlannedCheck(check, null, environment.Name, skipReason));
                continue;
            }

            foreach (var host in environment.Hosts)
            {
                if (check.Roles.Count == 0 || host.Roles.Any(check.Roles.Contains))
                {
                    plan.Add(new PlannedCheck(check, host, host.Name, skipReason));
                }
            }
        }

        return plan;
    }
}
