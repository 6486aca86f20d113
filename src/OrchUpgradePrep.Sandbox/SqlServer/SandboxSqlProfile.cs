using OrchUpgradePrep.Prerequisites.Backup;
namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>What the simulated SQL Server instance is and may do. Defaults: a healthy SQL Server 2022 Standard.</summary>
public sealed record SandboxSqlProfile
{
    public string ProductVersion { get; init; } = "16.0.4135.4";
    public string ProductLevel { get; init; } = "RTM";
    public string ProductUpdateLevel { get; init; } = "CU15";
    public string Edition { get; init; } = "Standard Edition (64-bit)";
    public int EngineEdition { get; init; } = 2;
    public string Collation { get; init; } = "SQL_Latin1_General_CP1_CI_AS";
    public string ServerName { get; init; } = "ORCH-SQL01";
    public string MachineName { get; init; } = "ORCH-SQL01";
    public string DatabaseName { get; init; } = "Orchestrator";
    public string DatabaseCollation { get; init; } = "SQL_Latin1_General_CP1_CI_AS";
    public string RecoveryModel { get; init; } = "SIMPLE";
    public long DataFileBytes { get; init; } = 512L << 20;
    public long LogFileBytes { get; init; } = 128L << 20;

    /// <summary>Used data pages: what a full backup writes.</summary>
    public long UsedDataBytes { get; init; } = 24L << 20;
    public long UsedLogBytes { get; init; } = 1L << 20;

    /// <summary>Free space of the one simulated volume that holds data files and backups, before anything is written.</summary>
    public long FreeBytes { get; init; } = 200L << 30;
    public long VolumeBytes { get; init; } = 500L << 30;

    /// <summary>Who may do what, as a T-SQL permission script (CREATE LOGIN / CREATE USER … FOR LOGIN / GRANT / sp_addrolemember,
    /// the forms of docs/sql-permissions.md, read by <see cref="SandboxPermissionScript"/>); null = the coarse flags below,
    /// granted to whichever login connects (<see cref="SandboxPrincipals.FromFlags"/>).</summary>
    public string? SecurityScript { get; init; }

    public bool IsSysadmin { get; init; } = true;
    public bool CanBackup { get; init; } = true;
    public bool CanCreateDatabase { get; init; } = true;
    /// <summary>CONTROL SERVER, which (as on SQL Server) implies every other permission: a profile that denies one of the
    /// others must deny this too.</summary>
    public bool CanControlServer { get; init; } = true;
    public bool HasViewServerState { get; init; } = true;

    public SandboxSqlFault Fault { get; init; }

    /// <summary>Pause per 64 KiB chunk written or read, so progress and cancellation can be seen.</summary>
    public TimeSpan DelayPerChunk { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>msdb history rows present at start (e.g. last night's maintenance backup).</summary>
    public IReadOnlyList<SeededBackup> History { get; init; } = [];

    /// <summary>The Orchestrator database's master key (sys.symmetric_keys ##MS_DatabaseMasterKey##): Orchestrator
    /// creates one, protected by the service master key (sys.databases.is_master_key_encrypted_by_server = 1).</summary>
    public SandboxMasterKey MasterKey { get; init; } = SandboxMasterKey.EncryptedByServiceMasterKey;

    /// <summary>Certificates created in master (for TDE or backup encryption), beside the built-in ##MS_…## ones.</summary>
    public IReadOnlyList<SandboxCertificate> Certificates { get; init; } = [];

    /// <summary>Orchestrator's log tables in the Orchestrator database (within <see cref="UsedDataBytes"/>): events and audit history small.</summary>
    public IReadOnlyList<SandboxLogTable> LogTables { get; init; } =
    [
        new("POLICYINSTANCES", 1_200, 1L << 20), new("OBJECTINSTANCES", 9_000, 3L << 20), new("OBJECTINSTANCEDATA", 30_000, 6L << 20),
        new("EVENTS", 400, 512L << 10), new("OBJECT_AUDIT", 2_500, 1L << 20),
    ];

    /// <summary>Completed runbook instances kept in the runbook logs (dbo.POLICYINSTANCES rows with TimeEnded), per runbook:
    /// what <see cref="LogHygieneCheck.BusiestRunbookLogQuery"/> reads. By default the purge keeps a few hundred.</summary>
    public IReadOnlyList<SandboxRunbookLog> RunbookLogs { get; init; } = [new("Nightly cleanup", 480, TimeSpan.FromDays(21)), new("Provision VM", 120, TimeSpan.FromDays(30))];

    /// <summary>The SQL Server service's logon account (sys.dm_server_services.service_account).</summary>
    public string ServiceAccount { get; init; } = @"NT Service\MSSQLSERVER";

    /// <summary>False: the service account has no rights on the backup folder, so every BACKUP (and RESTORE) there fails
    /// as on SQL Server: Msg 3201 "Cannot open backup device … Operating system error 5(Access is denied.)" then 3013.</summary>
    public bool ServiceAccountCanWriteBackups { get; init; } = true;

    /// <summary>User objects in master and msdb (sys.objects), e.g. Ola Hallengren's maintenance solution: none by default.</summary>
    public IReadOnlyList<SandboxObject> Objects { get; init; } = [];

    /// <summary>The certificate of <see cref="Certificates"/> that encrypts the Orchestrator database (TDE); null = not encrypted.</summary>
    public string? TdeCertificate { get; init; }

    /// <summary>False: an instance without the Orchestrator database (a restore server for verify: restore elsewhere).</summary>
    public bool HostsOrchestratorDatabase { get; init; } = true;

    /// <summary>True: the instance runs on another machine than the Orchestrator database's, so a path outside its own disk
    /// and its shares (<see cref="SandboxSqlServerOptions.SharedDirectories"/>) does not exist there: operating system error 3.</summary>
    public bool OnAnotherMachine { get; init; }
}

/// <summary>A user object in a system database; <paramref name="Type"/> as sys.objects.type ('P', 'U').</summary>
public sealed record SandboxObject(string Database, string Name, string Type)
{
    public string TypeDesc => Type switch { "P" => "SQL_STORED_PROCEDURE", "U" => "USER_TABLE", _ => throw new InvalidOperationException($"object type {Type} is not simulated") };
}

/// <summary>How the Orchestrator database's master key is protected, if it has one.</summary>
public enum SandboxMasterKey
{
    None,
    EncryptedByServiceMasterKey,

    /// <summary>Only by its password (ALTER MASTER KEY DROP ENCRYPTION BY SERVICE MASTER KEY): another server opens it only with that password.</summary>
    PasswordOnly,
}

/// <summary>A certificate in master; <paramref name="LastBackupAge"/> null = its private key was never backed up
/// (sys.certificates.pvt_key_last_backup_date NULL).</summary>
public sealed record SandboxCertificate(string Name, TimeSpan? LastBackupAge, bool HasPrivateKey = true)
{
    /// <summary>A stable SHA-1-sized thumbprint derived from the name.</summary>
    public byte[] Thumbprint => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Name))[..20];
}

/// <summary>Faults a scenario injects into BACKUP and RESTORE.</summary>
public enum SandboxSqlFault
{
    None,

    /// <summary>BACKUP succeeds, then bytes in the middle of the first file are overwritten (storage damage).</summary>
    CorruptBackupAfterWrite,

    /// <summary>The socket is closed at about 40 % of BACKUP; the partial file stays, no msdb row.</summary>
    DropConnectionMidBackup,

    /// <summary>The volume fills up at about 50 % of BACKUP: error 3202 (112, not enough space), the partial file stays.</summary>
    DiskFullMidBackup,

    /// <summary>BACKUP succeeds and msdb records it, then the file is deleted (someone removed it before verify).</summary>
    DeleteBackupAfterWrite,

    /// <summary>BACKUP writes a good file but msdb.dbo.backupset gets no row (history purged or not written).</summary>
    NoMsdbHistory,

    /// <summary>The socket is closed when a statement reads msdb.dbo.backupset (a connection reset mid-batch, before BACKUP).</summary>
    DropConnectionOnHistoryQuery,

    /// <summary>RESTORE DATABASE fails at about 50 % (3203, a read error, then 3013) after it created the database, which
    /// stays in sys.databases in the RESTORING state, as SQL Server leaves it. VERIFYONLY is not affected.</summary>
    FailRestoreMidway,
}

/// <summary>A backup msdb remembers from before the sandbox started (<paramref name="Age"/> before start).</summary>
public sealed record SeededBackup(TimeSpan Age, bool CopyOnly, bool HasChecksums, bool IsDamaged, string DeviceName)
{
    /// <summary>How long it ran (backup_finish_date − backup_start_date).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>One of Orchestrator's log tables as sys.dm_db_partition_stats counts it (one clustered index).</summary>
public sealed record SandboxLogTable(string Name, long Rows, long ReservedBytes);

/// <summary>One runbook's completed instances in its log, the oldest ended <paramref name="OldestEndedAgo"/> before the query.</summary>
public sealed record SandboxRunbookLog(string RunbookName, long CompletedInstances, TimeSpan OldestEndedAgo);
