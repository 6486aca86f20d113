namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #8: <c>Session Manager\PendingFileRenameOperations2</c> (same rules as #7).</summary>
public sealed class PendingFileRenameOperations2Check()
    : PendingFileRenameCheck("restart.pending-file-rename-2", "No file renames wait for a restart (PendingFileRenameOperations2)", "PendingFileRenameOperations2");
