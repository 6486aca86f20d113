namespace OrchUpgradePrep.Model;

/// <summary>
/// What came of an <see cref="ActionRecord"/>. report.json writes the <see cref="WireNames"/> spelling (done,
/// not-started, already-running, …), which other tools read: rename a member only together with a schemaVersion bump.
/// </summary>
public enum ActionOutcome
{
    /// <summary>The step did what it was for (a backup taken, a copy dropped, a manifest saved).</summary>
    Done,

    /// <summary>Not attempted: not configured, not selected, or not safe; the detail says why.</summary>
    Skipped,

    /// <summary>Preflight stopped it before it began (no connection, no permission, no space).</summary>
    NotStarted,

    /// <summary>Attempted and failed; the detail holds the error and what to do.</summary>
    Failed,

    /// <summary>The run was cancelled while it ran; what it left behind is in the detail.</summary>
    Cancelled,

    /// <summary>A runbook job or a Runbook Service was stopped.</summary>
    Stopped,

    /// <summary>A service that did not stop within its bound and whose own process prepare --force-stop ended; it then reported Stopped.</summary>
    ForceStopped,

    /// <summary>A Runbook Service prepare meant to stop was stopped already.</summary>
    AlreadyStopped,

    /// <summary>A runbook job asked to stop had completed by itself first.</summary>
    Completed,

    /// <summary>
    /// Gone, though not the way asked: an Orchestrator program still open after the grace period and ended, or a runbook
    /// job that ended in a state the web service does not document (the detail names it).
    /// </summary>
    Ended,

    /// <summary>A service or monitor runbook was started again.</summary>
    Started,

    /// <summary>A service or monitor runbook resume meant to start runs already.</summary>
    AlreadyRunning,

    /// <summary>Orphaned runbook instances were cleared.</summary>
    Cleared,

    /// <summary>Retention removed older or unverified backup files.</summary>
    Removed,

    /// <summary>Retention left backup files in place.</summary>
    Kept,

    /// <summary>An Orchestrator program closed when asked.</summary>
    Closed,

    /// <summary>An Orchestrator program had exited before it was asked.</summary>
    AlreadyGone,
}
