namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>Orchestrator release lines in upgrade order. <see cref="SemiAnnual"/> (1801/1807) sits between 2016 and 2019.</summary>
public enum OrchestratorLine
{
    V2012Sp1,
    V2012R2,
    V2016,
    SemiAnnual,
    V2019,
    V2022,
    V2025,
}

/// <summary>A known build: which line and which update it is (KB2748951 and the SystemCenterDocs release
/// build tables, docs/requirements.md#known-builds). <see cref="UpdateRollup"/> is 0 for the release itself.</summary>
public sealed record OrchestratorBuild(Version Build, OrchestratorLine Line, string Label, int? UpdateRollup, string Source);

/// <summary>Maps an installed build number to its release line and, when the build is in the table, its update rollup.</summary>
public static class OrchestratorReleases
{
    private const string Docs = "SystemCenterDocs release build table";
    private const string Community = "community script (unconfirmed)";

    public static IReadOnlyList<OrchestratorBuild> KnownBuilds { get; } =
    [
        new(new Version(7, 2, 84, 0), OrchestratorLine.V2012R2, "2012 R2", 0, "community (xSCSMA DSC resource, unconfirmed)"),
        new(new Version(7, 2, 239, 0), OrchestratorLine.V2012R2, "2012 R2 UR14", 14, Community),
        new(new Version(7, 2, 11719, 0), OrchestratorLine.V2016, "2016", 0, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 164, 0), OrchestratorLine.V2016, "2016 UR1", 1, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 185, 0), OrchestratorLine.V2016, "2016 UR4", 4, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 273, 0), OrchestratorLine.V2016, "2016 UR5", 5, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 285, 0), OrchestratorLine.V2016, "2016 UR6", 6, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 310, 0), OrchestratorLine.V2016, "2016 UR7", 7, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 3, 327, 0), OrchestratorLine.V2016, "2016 UR8", 8, "SystemCenterDocs release-build-versions-orch-2016.md"),
        new(new Version(7, 4, 145, 0), OrchestratorLine.SemiAnnual, "1801", 0, Community),
        new(new Version(7, 4, 188, 0), OrchestratorLine.SemiAnnual, "1807", 0, Community),
        new(new Version(10, 19, 40, 0), OrchestratorLine.V2019, "2019", 0, Docs),
        new(new Version(10, 19, 100, 0), OrchestratorLine.V2019, "2019 UR1", 1, Docs),
        new(new Version(10, 19, 119, 0), OrchestratorLine.V2019, "2019 UR2", 2, Docs),
        new(new Version(10, 19, 126, 0), OrchestratorLine.V2019, "2019 UR3", 3, Docs),
        new(new Version(10, 19, 170, 0), OrchestratorLine.V2019, "2019 GB18030 update", null, Docs),
        new(new Version(10, 22, 2, 0), OrchestratorLine.V2022, "2022", 0, Docs),
        new(new Version(10, 22, 6, 1), OrchestratorLine.V2022, "2022 UR1", 1, Docs),
        new(new Version(10, 22, 8, 3), OrchestratorLine.V2022, "2022 console hotfix", null, Docs),
        new(new Version(10, 22, 8, 29), OrchestratorLine.V2022, "2022 GB18030 update", null, Docs),
        new(new Version(10, 22, 9, 2), OrchestratorLine.V2022, "2022 UR2", 2, Docs + " (KB5033099)"),
        new(new Version(10, 22, 10, 2), OrchestratorLine.V2022, "2022 UR3", 3, Docs + " (KB5059072)"),
        new(new Version(10, 22, 10, 3), OrchestratorLine.V2022, "2022 UR3 GB18030 amendment hotfix", null, Docs + " (KB5072592)"),
        new(new Version(10, 25, 1, 7), OrchestratorLine.V2025, "2025", 0, Docs),
        new(new Version(10, 25, 1, 94), OrchestratorLine.V2025, "2025 UR1", 1, "unconfirmed: no primary source confirmed this build"),
    ];

    public static OrchestratorBuild? Known(Version build) => KnownBuilds.FirstOrDefault(b => b.Build == Normalize(build));

    /// <summary>The release line of any build, known or not, by its major.minor (2016 RTM is the odd 7.2.11719).</summary>
    public static OrchestratorLine? LineOf(Version build)
    {
        var normalized = Normalize(build);
        if (Known(normalized) is { } known)
        {
            return known.Line;
        }

        return (normalized.Major, normalized.Minor) switch
        {
            (7, 1) => OrchestratorLine.V2012Sp1,
            (7, 2) when normalized.Build >= 10000 => OrchestratorLine.V2016,
            (7, 2) => OrchestratorLine.V2012R2,
            (7, 3) => OrchestratorLine.V2016,
            (7, 4) => OrchestratorLine.SemiAnnual,
            (10, 19) => OrchestratorLine.V2019,
            (10, 22) => OrchestratorLine.V2022,
            (10, 25) => OrchestratorLine.V2025,
            _ => null,
        };
    }

    /// <summary>"2019 UR3 (10.19.126.0)" or "2016, build 7.3.300.0 (not in the build table)".</summary>
    public static string Describe(Version build)
    {
        var normalized = Normalize(build);
        if (Known(normalized) is { } known)
        {
            return $"{known.Label} ({normalized})";
        }

        if (LineOf(normalized) is not { } line)
        {
            return $"build {normalized} (not an Orchestrator build this tool knows)";
        }

        // 2019 UR4–UR6 exist but their builds are not published: a build past the newest known rollup is named
        // for what it honestly is, never given a guessed rollup number.
        var newestRollup = KnownBuilds.Where(b => b.Line == line && b.UpdateRollup > 0).MaxBy(b => b.Build);
        return newestRollup is not null && normalized > newestRollup.Build
            ? $"{NameOf(line)}, update later than UR{newestRollup.UpdateRollup?.ToString(System.Globalization.CultureInfo.InvariantCulture)} (build {normalized} not in orchprep's table)"
            : $"{NameOf(line)}, build {normalized} (not in the build table)";
    }

    /// <summary>The update rollup a build includes: its own when known, else that of the newest known build at or
    /// below it in its line (a hotfix includes the rollup it was built on). Null when no known build is at or below it.</summary>
    public static int? RollupIncludedIn(Version build)
    {
        var normalized = Normalize(build);
        var line = LineOf(normalized);
        return KnownBuilds.Where(b => b.Line == line && b.UpdateRollup is not null && b.Build <= normalized)
            .MaxBy(b => b.Build)?.UpdateRollup;
    }

    public static string NameOf(OrchestratorLine line) => line switch
    {
        OrchestratorLine.V2012Sp1 => "2012 SP1",
        OrchestratorLine.V2012R2 => "2012 R2",
        OrchestratorLine.V2016 => "2016",
        OrchestratorLine.SemiAnnual => "1801/1807",
        OrchestratorLine.V2019 => "2019",
        OrchestratorLine.V2022 => "2022",
        OrchestratorLine.V2025 => "2025",
        _ => line.ToString(),
    };

    /// <summary>DisplayVersion may have 2 or 3 parts; compare as 4.</summary>
    public static Version Normalize(Version build) =>
        new(build.Major, build.Minor, Math.Max(build.Build, 0), Math.Max(build.Revision, 0));
}
