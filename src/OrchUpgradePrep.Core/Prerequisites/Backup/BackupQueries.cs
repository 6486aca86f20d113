using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Every statement the backup prerequisite sends besides BACKUP itself (<see cref="BackupStatement"/>). Reads are
/// parameterised; RESTORE/DBCC/DROP take no parameters for names and paths, so those are quoted with <see cref="TSql"/>.
/// The session's database is the Orchestrator database (the connector sets Initial Catalog).
/// </summary>
public static class BackupQueries
{
    /// <summary>One row for the Orchestrator database; none when it does not exist. @database.</summary>
    public const string Database =
        "SELECT name, state_desc, recovery_model_desc, collation_name, is_encrypted FROM sys.databases WHERE name = @database";

    /// <summary>Files of the current database with allocated and used bytes (a full backup holds the used pages).</summary>
    public const string DatabaseFiles =
        "SELECT name, physical_name, type_desc, CAST(size AS bigint) * 8192 AS size_bytes, " +
        "CAST(FILEPROPERTY(name, 'SpaceUsed') AS bigint) * 8192 AS used_bytes FROM sys.database_files";

    /// <summary>Volumes that hold any database file, with free space (needs VIEW SERVER STATE; SQL Server sees no other volume).</summary>
    public const string Volumes =
        "SELECT DISTINCT vs.volume_mount_point, vs.total_bytes, vs.available_bytes FROM sys.master_files AS mf " +
        "CROSS APPLY sys.dm_os_volume_stats(mf.database_id, mf.file_id) AS vs";

    /// <summary>What the login may do: back up (sysadmin, db_owner, db_backupoperator), verify and test-restore
    /// (CREATE DATABASE), back up the service master key (CONTROL SERVER). @database.</summary>
    public const string Permissions =
        "SELECT IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin, HAS_PERMS_BY_NAME(@database, 'DATABASE', 'BACKUP DATABASE') AS can_backup, " +
        "HAS_PERMS_BY_NAME(NULL, NULL, 'CREATE ANY DATABASE') AS can_create_database, HAS_PERMS_BY_NAME(NULL, NULL, 'CONTROL SERVER') AS can_control_server";

    /// <summary>The name SQL Server gives itself (SERVER or SERVER\INSTANCE), for file names.</summary>
    public const string ServerName =
        "SELECT CAST(SERVERPROPERTY('ServerName') AS nvarchar(128)) AS ServerName";

    /// <summary>The msdb rows BACKUP wrote for our backup set, one per media family (stripe). @database, @name.</summary>
    public const string HistoryOfBackupSet =
        "SELECT bs.backup_set_id, bs.database_name, bs.type, bs.is_copy_only, bs.has_backup_checksums, bs.is_damaged, " +
        "bs.first_lsn, bs.last_lsn, bs.checkpoint_lsn, bs.database_backup_lsn, bs.backup_size, bs.compressed_backup_size, " +
        "bmf.physical_device_name, bmf.family_sequence_number " +
        "FROM msdb.dbo.backupset AS bs JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id " +
        "WHERE bs.database_name = @database AND bs.name = @name ORDER BY bs.backup_set_id DESC, bmf.family_sequence_number";

    /// <summary>STATS as for BACKUP: without it SQL Server sends no "N percent processed." (3211), so progress would stay at 0 %.</summary>
    public static string VerifyOnly(IReadOnlyList<string> files, int statsPercent) =>
        string.Create(CultureInfo.InvariantCulture, $"RESTORE VERIFYONLY FROM {Disks(files)} WITH CHECKSUM, STATS = {statsPercent}");

    public static string HeaderOnly(IReadOnlyList<string> files) => $"RESTORE HEADERONLY FROM {Disks(files)}";

    public static string FileListOnly(IReadOnlyList<string> files) => $"RESTORE FILELISTONLY FROM {Disks(files)}";

    /// <summary>Test restore under a new name: every file moved to a new path, checksums checked while reading.</summary>
    public static string RestoreAs(string database, IReadOnlyList<string> files, IReadOnlyList<(string LogicalName, string NewPath)> moves, int statsPercent)
    {
        var sql = new StringBuilder("RESTORE DATABASE ").Append(TSql.Identifier(database)).Append(" FROM ").Append(Disks(files)).Append(" WITH ");
        foreach (var (logical, path) in moves)
        {
            sql.Append("MOVE ").Append(TSql.String(logical)).Append(" TO ").Append(TSql.String(path)).Append(", ");
        }

        sql.Append(CultureInfo.InvariantCulture, $"CHECKSUM, RECOVERY, STATS = {statsPercent}");
        return sql.ToString();
    }

    public static string CheckDb(string database) => $"DBCC CHECKDB({TSql.Identifier(database)}) WITH NO_INFOMSGS, ALL_ERRORMSGS";

    public static string DropDatabase(string database) => $"DROP DATABASE {TSql.Identifier(database)}";

    /// <summary>The password is a secret: the caller masks it; it never appears in a report.</summary>
    public static string BackupServiceMasterKey(string file, string password) =>
        $"BACKUP SERVICE MASTER KEY TO FILE = {TSql.String(file)} ENCRYPTION BY PASSWORD = {TSql.String(password)}";

    private static string Disks(IReadOnlyList<string> files)
    {
        if (files.Count is 0 or > 64)
        {
            throw new InvalidOperationException($"a backup has 1 to 64 files, not {files.Count}");
        }

        return string.Join(", ", files.Select(f => "DISK = " + TSql.String(f)));
    }
}
