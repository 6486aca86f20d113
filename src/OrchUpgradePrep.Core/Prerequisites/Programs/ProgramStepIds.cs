namespace OrchUpgradePrep.Prerequisites.Programs;

/// <summary>Ids of the results prepare's program step produces (each has docs/checks/&lt;id&gt;.md). The closer reports each
/// program as an action; this verdict appears only when the step itself failed. The catalog's programs checks re-run after
/// it and give the final verdict on what is still open.</summary>
public static class ProgramStepIds
{
    /// <summary>prepare --close-programs: the step that closes the Orchestrator programs failed as a whole.</summary>
    public const string Closed = "programs.closed";

    public static IReadOnlyList<string> All { get; } = [Closed];

    public static string TitleOf(string id) => id switch
    {
        Closed => "Orchestrator programs were closed (--close-programs)",
        _ => id,
    };
}
