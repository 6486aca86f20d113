using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>
/// The documented upgrade steps (docs/requirements.md#upgrade-paths-requirementsupgrade-path; https://learn.microsoft.com/system-center/orchestrator/upgrade-orch):
/// 2012 SP1 → 2012 R2; 2012 R2 UR8+ → 2016; 2016 UR6, 1801 or 1807 → 2019; 2019 (UR3 recommended) → 2022;
/// 2022 (latest UR recommended) → 2025. Skipping a version is undocumented, so a path is a list of these steps.
/// </summary>
public static class UpgradePaths
{
    public const string Source = "https://learn.microsoft.com/system-center/orchestrator/upgrade-orch";

    public static IReadOnlyList<UpgradeStep> Steps { get; } =
    [
        new(OrchestratorLine.V2012Sp1, TargetVersion.V2012R2, null),
        new(OrchestratorLine.V2012R2, TargetVersion.V2016, new UpdateRequirement("2012 R2 UR8", Mandatory: true, MinimumBuild: null, KnownTooOld: new Version(7, 2, 84, 0), KnownSufficient: new Version(7, 2, 239, 0))),
        new(OrchestratorLine.V2016, TargetVersion.V2019, new UpdateRequirement("2016 UR6", Mandatory: true, MinimumBuild: new Version(7, 3, 285, 0))),
        new(OrchestratorLine.SemiAnnual, TargetVersion.V2019, null),
        new(OrchestratorLine.V2019, TargetVersion.V2022, new UpdateRequirement("2019 UR3", Mandatory: false, MinimumBuild: new Version(10, 19, 126, 0))),
        new(OrchestratorLine.V2022, TargetVersion.V2025, new UpdateRequirement("the latest 2022 update rollup (newest known: 2022 UR3)", Mandatory: false, MinimumBuild: new Version(10, 22, 10, 2))),
    ];

    /// <summary>The line a target version installs.</summary>
    public static OrchestratorLine LineOf(TargetVersion target) => target switch
    {
        TargetVersion.V2012R2 => OrchestratorLine.V2012R2,
        TargetVersion.V2016 => OrchestratorLine.V2016,
        TargetVersion.V2019 => OrchestratorLine.V2019,
        TargetVersion.V2022 => OrchestratorLine.V2022,
        _ => OrchestratorLine.V2025,
    };

    /// <summary>The steps from an installed line to the target, in order; empty when already there;
    /// null when no documented path exists (a downgrade, or a line with no step out of it).</summary>
    public static IReadOnlyList<UpgradeStep>? Find(OrchestratorLine installed, TargetVersion target)
    {
        var goal = LineOf(target);
        if (installed == goal)
        {
            return [];
        }

        var path = new List<UpgradeStep>();
        var current = installed;
        while (current != goal)
        {
            var step = Steps.FirstOrDefault(s => s.From == current);
            if (step is null || LineOf(step.To) > goal)
            {
                return null;
            }

            path.Add(step);
            current = LineOf(step.To);
        }

        return path;
    }
}

/// <summary>One supported upgrade: from a release line to a version, with the update the source must have first.</summary>
public sealed record UpgradeStep(OrchestratorLine From, TargetVersion To, UpdateRequirement? Requires)
{
    public string Describe() => $"{OrchestratorReleases.NameOf(From)} → {To.ToName()}";
}

/// <summary>
/// The update a source line needs before a step. When the minimum build is not known (2012 R2 UR8), builds known
/// to be older or newer decide, and anything between is <see cref="UpdateVerdict.Unknown"/> — never guessed.
/// </summary>
public sealed record UpdateRequirement(string Label, bool Mandatory, Version? MinimumBuild, Version? KnownTooOld = null, Version? KnownSufficient = null)
{
    public UpdateVerdict Evaluate(Version installed)
    {
        var build = OrchestratorReleases.Normalize(installed);
        if (MinimumBuild is { } minimum)
        {
            return build >= minimum ? UpdateVerdict.Satisfied : UpdateVerdict.TooOld;
        }

        if (KnownSufficient is { } sufficient && build >= sufficient)
        {
            return UpdateVerdict.Satisfied;
        }

        return KnownTooOld is { } tooOld && build <= tooOld ? UpdateVerdict.TooOld : UpdateVerdict.Unknown;
    }

    public string Describe() => MinimumBuild is { } minimum ? $"{Label} ({minimum}) or later" : $"{Label} or later";
}

public enum UpdateVerdict
{
    Satisfied,
    TooOld,
    Unknown,
}
