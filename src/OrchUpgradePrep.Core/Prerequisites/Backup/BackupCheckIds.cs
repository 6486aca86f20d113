namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>The backup prerequisite's check ids. Those marked "prepare" are results of prepare's steps; the others are
/// also catalog checks that check mode runs. Each has docs/checks/&lt;id&gt;.md.</summary>
public static class BackupCheckIds
{
    public const string Permissions = "backup.permissions";
    public const string FreeSpace = "backup.free-space";
    public const string RecentFullVerified = "backup.recent-full-verified";
    public const string ServiceMasterKey = "backup.service-master-key";
    public const string EncryptionKeys = "backup.encryption-keys";
    public const string DatabaseSize = "backup.database-size";
    public const string LogHygiene = "backup.log-hygiene";
    public const string LogChainInterplay = "backup.log-chain-interplay";
    public const string ServiceAccountAccess = "backup.service-account-access";

    /// <summary>prepare: BACKUP DATABASE ran and SQL Server confirmed it (3014).</summary>
    public const string Taken = "backup.taken";

    /// <summary>prepare: RESTORE VERIFYONLY WITH CHECKSUM said the set is valid (3262).</summary>
    public const string VerifyOnly = "backup.verifyonly";

    /// <summary>prepare: RESTORE HEADERONLY/FILELISTONLY describe the backup orchprep meant to take.</summary>
    public const string Header = "backup.header";

    /// <summary>prepare: msdb history names our files and matches the header.</summary>
    public const string MsdbHistory = "backup.msdb-history";

    /// <summary>prepare: SHA-256 of every file, written beside it.</summary>
    public const string Sha256 = "backup.sha256";

    /// <summary>prepare: restore under a new name, DBCC CHECKDB, drop.</summary>
    public const string TestRestore = "backup.test-restore";

    /// <summary>prepare, test restore on another server: what the restored copy's database master key needs there.</summary>
    public const string RestoreKeys = "backup.restore-keys";

    /// <summary>Ids that only prepare produces (help pages exist for them too).</summary>
    public static IReadOnlyList<string> PrepareOnly { get; } = [Taken, VerifyOnly, Header, MsdbHistory, Sha256, TestRestore, RestoreKeys];

    public static string TitleOf(string id) => id switch
    {
        Permissions => "The SQL login may back up, verify and test-restore the database",
        FreeSpace => "The backup folder has room for a full backup",
        ServiceMasterKey => "The service master key is backed up beside the database backup",
        DatabaseSize => "The database's size and the time its backup and verification will take",
        ServiceAccountAccess => "The SQL Server service account can write and read the backup folder",
        LogChainInterplay => "No log backup cleanup on the instance mistakes orchprep's copy-only backup for a full",
        LogHygiene => "Orchestrator's log tables do not dominate the database",
        EncryptionKeys => "TDE and backup certificates and the database master key can be opened on another server",
        Taken => "A copy-only full backup with checksums was taken",
        VerifyOnly => "RESTORE VERIFYONLY WITH CHECKSUM says the backup is valid",
        Header => "The backup's header and file list are the expected ones",
        MsdbHistory => "msdb history records the backup with the same files and LSNs",
        Sha256 => "Every backup file has a SHA-256 written beside it",
        TestRestore => "The backup restores under a new name and passes DBCC CHECKDB",
        RestoreKeys => "What the database master key needs on the restore server is known",
        RecentFullVerified => "A recent full backup with checksums exists",
        _ => id,
    };
}
