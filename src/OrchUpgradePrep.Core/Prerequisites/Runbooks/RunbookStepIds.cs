namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>Ids of the results prepare's and resume's runbook steps produce (each has docs/checks/&lt;id&gt;.md).
/// The catalog's runbooks checks re-run after the steps and give the final verdict on what still runs.</summary>
public static class RunbookStepIds
{
    /// <summary>prepare: the drain ended with nothing left running (or stopped by policy).</summary>
    public const string Drained = "runbooks.drained";

    /// <summary>prepare: the Runbook Service is stopped on every runbook server, so no new job starts.</summary>
    public const string StartsBlocked = "runbooks.starts-blocked";

    /// <summary>resume: what prepare stopped runs again.</summary>
    public const string Resumed = "runbooks.resumed";

    public static IReadOnlyList<string> All { get; } = [Drained, StartsBlocked, Resumed];

    public static string TitleOf(string id) => id switch
    {
        Drained => "Running runbooks were drained",
        StartsBlocked => "New runbook starts are blocked (Runbook Service stopped)",
        Resumed => "What prepare stopped was started again",
        _ => id,
    };
}
