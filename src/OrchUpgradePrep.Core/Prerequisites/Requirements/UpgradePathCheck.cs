using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// The installed Orchestrator (registry uninstall entries) can be upgraded to the target in one documented step,
/// with the update rollup that step needs. When it cannot, the result names every step, in order.
/// </summary>
public sealed class UpgradePathCheck : ICheck
{
    public string Id => "requirements.upgrade-path";
    public string Title => "Upgrade path from the installed version to the target is supported";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.PerHost;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target.ToName();
        var installed = await InstalledOrchestrator.ReadAsync(context.Facts.Registry, cancellationToken).ConfigureAwait(false);
        var evidence = installed.Evidence.ToArray();

        switch (installed.State)
        {
            case InstallState.Unknown:
                return CheckOutcome.Error(
                    $"The installed Orchestrator version is unknown: the source does not hold {string.Join(" or ", installed.UnknownKeys)}. Export them (docs/snapshots.md).",
                    evidence);
            case InstallState.NotInstalled:
                return CheckOutcome.Warning(
                    $"No Orchestrator installation found on this host, though the config gives it Orchestrator roles; there is nothing to upgrade here.",
                    "Check the host's roles in orchprep.yml, or install the target version here after the upgrade.",
                    evidence);
        }

        if (installed.Version is not { } version)
        {
            return CheckOutcome.Error(
                "Orchestrator is installed but no uninstall entry gives a readable DisplayVersion; read the version from [dbo].[VERSION] or ManagementService.exe's file version (KB2748951).",
                evidence);
        }

        var described = OrchestratorReleases.Describe(version);
        if (OrchestratorReleases.LineOf(version) is not { } line)
        {
            return CheckOutcome.Unmet(
                $"The installed {described} is not a release with a documented upgrade path to {target}.",
                $"Confirm the installed version (Runbook Designer: Help > About); see {UpgradePaths.Source}.",
                evidence);
        }

        var path = UpgradePaths.Find(line, context.Target);
        if (path is null)
        {
            return CheckOutcome.Unmet(
                $"The installed {described} is newer than the target {target}: a downgrade is not an upgrade.",
                $"Set target to {OrchestratorReleases.NameOf(line)} or later for this environment.",
                evidence);
        }

        if (path.Count == 0)
        {
            return CheckOutcome.Met($"{described} is already Orchestrator {target}; no version upgrade is needed (update rollups apply in place).", evidence);
        }

        var first = path[0];
        var verdict = first.Requires?.Evaluate(version) ?? UpdateVerdict.Satisfied;
        if (path.Count > 1)
        {
            return CheckOutcome.Unmet(
                $"{described} → {target} is not one step. Supported path: {OrchestratorReleases.NameOf(line)} → {string.Join(" → ", path.Select(s => s.To.ToName()))}.",
                PlanSteps(path, version, verdict),
                evidence);
        }

        return (verdict, first.Requires) switch
        {
            (UpdateVerdict.Satisfied, _) => CheckOutcome.Met($"{described} → {target} is a supported one-step upgrade.", evidence),
            (UpdateVerdict.TooOld, { Mandatory: true } need) => CheckOutcome.Unmet(
                $"{described} → {target} needs {need.Describe()} first.",
                $"Install {need.Label} or a later update rollup on every Orchestrator server, then run this check again. See {UpgradePaths.Source}.",
                evidence),
            (UpdateVerdict.TooOld, { } recommended) => CheckOutcome.Warning(
                $"{described} → {target} is supported; Microsoft recommends {recommended.Describe()} first.",
                $"Install {recommended.Label} before the upgrade. See {UpgradePaths.Source}.",
                evidence),
            (_, { } unknown) => CheckOutcome.Warning(
                $"{described} → {target} needs {unknown.Describe()}; whether build {version} includes it is not known to this tool.",
                $"Confirm {unknown.Label} or later is installed (Runbook Designer: Help > About, or the update history) before the upgrade. See {UpgradePaths.Source}.",
                evidence),
            _ => CheckOutcome.Met($"{described} → {target} is a supported one-step upgrade.", evidence),
        };
    }

    private static string PlanSteps(IReadOnlyList<UpgradeStep> path, Version installed, UpdateVerdict firstVerdict)
    {
        var lines = new List<string>();
        var number = 1;
        for (var i = 0; i < path.Count; i++)
        {
            var step = path[i];
            if (step.Requires is { } need && (i > 0 || firstVerdict != UpdateVerdict.Satisfied))
            {
                lines.Add($"{number++}) install {need.Describe()}{(need.Mandatory ? string.Empty : " (recommended)")}");
            }

            lines.Add($"{number++}) upgrade {step.Describe()} (gate it with `orchprep check --target {step.To.ToName()}`)");
        }

        return $"Upgrade in steps, each a full upgrade with its own backup: {string.Join("; ", lines)}. Skipping a version is undocumented. See {UpgradePaths.Source}.";
    }
}
