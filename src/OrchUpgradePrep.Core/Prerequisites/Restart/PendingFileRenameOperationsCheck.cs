namespace OrchUpgradePrep.Prerequisites.Restart;

/// <summary>Signal #7: <c>Session Manager\PendingFileRenameOperations</c>.</summary>
public sealed class PendingFileRenameOperationsCheck()
    : PendingFileRenameCheck("restart.pending-file-rename", "No file renames wait for a restart (PendingFileRenameOperations)", "PendingFileRenameOperations");
