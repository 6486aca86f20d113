using OrchUpgradePrep.Sandbox.SqlServer;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>The SQL Server of each scenario. Every one holds the Orchestrator database; msdb remembers last night's
/// maintenance backup, three days old in a live environment (so check mode honestly reports the backup unmet).</summary>
internal static class SandboxSqlProfiles
{
    private const string NightlyDevice = @"\\backup01\sql\ORCH-SQL01_Orchestrator_FULL_nightly.bak";

    public static SandboxSqlProfile Healthy { get; } = new()
    {
        History = [new SeededBackup(TimeSpan.FromDays(3) + TimeSpan.FromHours(2), CopyOnly: false, HasChecksums: true, IsDamaged: false, NightlyDevice)],
    };

    public static SandboxSqlProfile Ready { get; } = new()
    {
        History = [new SeededBackup(TimeSpan.FromHours(2), CopyOnly: true, HasChecksums: true, IsDamaged: false, NightlyDevice)],
    };

    /// <summary>Less free space than the database's used pages: the backup must fail before writing.</summary>
    /// <summary>The second instance a side-by-side upgrade would move the database to: SQL Server 2022 on another machine, no
    /// Orchestrator database, its own service account and history.</summary>
    public static SandboxSqlProfile RestoreServer { get; } = new()
    {
        ServerName = @"ORCH-SQL02\ORCH",
        MachineName = "ORCH-SQL02",
        HostsOrchestratorDatabase = false,
        OnAnotherMachine = true,
        ServiceAccount = @"CONTOSO\gmsa-sql02$",
    };

    /// <summary>The restore server on SQL Server 2019 (15.0), older than the Orchestrator database's 2022.</summary>
    public static SandboxSqlProfile OlderRestoreServer { get; } = RestoreServer with { ProductVersion = "15.0.4375.4", ProductUpdateLevel = "CU27" };

    public static SandboxSqlProfile LowDisk { get; } = Healthy with { FreeBytes = 16L << 20, VolumeBytes = 80L << 30 };

    public static SandboxSqlProfile NoPermission { get; } = Healthy with
    {
        IsSysadmin = false,
        CanBackup = false,
        CanCreateDatabase = false,
        CanControlServer = false,
        HasViewServerState = false,
    };

    /// <summary>The ready server whose logins and grants are docs/sql-permissions.md's script (<see cref="SandboxLeastPrivilege"/>).</summary>
    public static SandboxSqlProfile LeastPrivilege { get; } = Ready with { SecurityScript = SandboxLeastPrivilege.Script() };

    public static SandboxSqlProfile ExpressEdition { get; } = Healthy with { Edition = "Express Edition (64-bit)", EngineEdition = 4 };

    public static SandboxSqlProfile CorruptBackup { get; } = Healthy with { Fault = SandboxSqlFault.CorruptBackupAfterWrite };

    public static SandboxSqlProfile ConnectionDrop { get; } = Healthy with { Fault = SandboxSqlFault.DropConnectionMidBackup };

    public static SandboxSqlProfile Slow { get; } = Healthy with { DelayPerChunk = TimeSpan.FromMilliseconds(40) };

    /// <summary>SQL Server 2012 SP4: too old for Orchestrator 2022.</summary>
    public static SandboxSqlProfile OldSql { get; } = Healthy with
    {
        ProductVersion = "11.0.7001.0",
        ProductLevel = "SP4",
        ProductUpdateLevel = "GDR",
    };

    /// <summary>The ready server with the risks a backup alone does not show: the Orchestrator database is TDE-encrypted
    /// by a certificate never backed up, a second certificate in master was never backed up, and the database master key
    /// opens only with its password; events and audit history fill most of the data, and the last full backup ran at a
    /// rate that makes the next one outlast prepare's statement timeout; one runbook keeps 48,211 logged instances (the purge seems off); Ola Hallengren's DatabaseBackup and CommandLog are in master.</summary>
    public static SandboxSqlProfile BackupRisks { get; } = Ready with
    {
        Certificates = [new SandboxCertificate("OrchestratorTDE", null), new SandboxCertificate("NightlyBackupEncryption", null)],
        TdeCertificate = "OrchestratorTDE",
        MasterKey = SandboxMasterKey.PasswordOnly,
        History = [new SeededBackup(TimeSpan.FromHours(2), CopyOnly: true, HasChecksums: true, IsDamaged: false, NightlyDevice) { Duration = TimeSpan.FromHours(7) }],
        Objects = [new SandboxObject("master", "DatabaseBackup", "P"), new SandboxObject("master", "CommandLog", "U")],
        LogTables =
        [
            new("POLICYINSTANCES", 49_000, 1L << 20), new("OBJECTINSTANCES", 9_000, 3L << 20), new("OBJECTINSTANCEDATA", 30_000, 4L << 20),
            new("EVENTS", 185_000, 9L << 20), new("OBJECT_AUDIT", 92_000, 5L << 20),
        ],
        RunbookLogs = [new("Monitor AD changes", 48_211, TimeSpan.FromDays(900)), new("Nightly cleanup", 480, TimeSpan.FromDays(21))],
    };

    /// <summary>The healthy server whose service account (a gMSA) has no rights on the backup folder: every BACKUP there
    /// fails with 3201 (operating system error 5) and 3013, as on SQL Server.</summary>
    public static SandboxSqlProfile BackupFolderDenied { get; } = Healthy with
    {
        ServiceAccount = @"CONTOSO\gmsa-sql01$",
        ServiceAccountCanWriteBackups = false,
    };
}
