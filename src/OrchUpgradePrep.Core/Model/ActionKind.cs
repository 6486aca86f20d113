namespace OrchUpgradePrep.Model;

/// <summary>
/// What side effect an <see cref="ActionRecord"/> is about. report.json writes the <see cref="WireNames"/> spelling
/// (runbook-stop, block-starts, …), which other tools read: rename a member only together with a schemaVersion bump.
/// </summary>
public enum ActionKind
{
    /// <summary>prepare's drain stopping a runbook job (a monitor, or one past the drain's timeout).</summary>
    RunbookStop,

    /// <summary>prepare stopping a Runbook Service so no new job starts.</summary>
    BlockStarts,

    /// <summary>prepare clearing orphaned runbook instances with the Runbook Services stopped.</summary>
    ClearOrphans,

    /// <summary>prepare asking an Orchestrator program to close (--close-programs).</summary>
    CloseProgram,

    /// <summary>prepare's backup, and retention of older backups.</summary>
    Backup,

    /// <summary>prepare's verification of the backup (RESTORE VERIFYONLY, SHA-256, test restore).</summary>
    Verify,

    /// <summary>prepare saving the service master key and the restore manifest beside the backup.</summary>
    SaveKeys,

    /// <summary>resume starting a Runbook Service prepare stopped.</summary>
    StartService,

    /// <summary>resume starting a monitor runbook prepare stopped.</summary>
    StartMonitor,
}
