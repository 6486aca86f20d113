using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>RESTORE HEADERONLY / FILELISTONLY result sets with SQL Server 2022's column names, order and types
/// (restore-statements-headeronly/filelistonly-transact-sql), so clients that read by name or position both work.</summary>
internal static class SandboxRestoreColumns
{
    private static TdsColumn C(string name, TdsColumnType type) => new(name, type);

    private static readonly TdsColumnType Lsn = TdsColumnType.Numeric(25, 0);
    private static readonly TdsColumnType Size = TdsColumnType.Numeric(20, 0);

    public static IReadOnlyList<TdsColumn> HeaderOnly { get; } =
    [
        C("BackupName", TdsColumnType.NVarChar(128)), C("BackupDescription", TdsColumnType.NVarChar(255)), C("BackupType", TdsColumnType.SmallInt),
        C("ExpirationDate", TdsColumnType.DateTime), C("Compressed", TdsColumnType.Bit), C("Position", TdsColumnType.SmallInt), C("DeviceType", TdsColumnType.TinyInt),
        C("UserName", TdsColumnType.NVarChar(128)), C("ServerName", TdsColumnType.NVarChar(128)), C("DatabaseName", TdsColumnType.NVarChar(128)),
        C("DatabaseVersion", TdsColumnType.Int), C("DatabaseCreationDate", TdsColumnType.DateTime), C("BackupSize", Size), C("FirstLSN", Lsn), C("LastLSN", Lsn),
        C("CheckpointLSN", Lsn), C("DatabaseBackupLSN", Lsn), C("BackupStartDate", TdsColumnType.DateTime), C("BackupFinishDate", TdsColumnType.DateTime),
        C("SortOrder", TdsColumnType.SmallInt), C("CodePage", TdsColumnType.SmallInt), C("UnicodeLocaleId", TdsColumnType.Int), C("UnicodeComparisonStyle", TdsColumnType.Int),
        C("CompatibilityLevel", TdsColumnType.TinyInt), C("SoftwareVendorId", TdsColumnType.Int), C("SoftwareVersionMajor", TdsColumnType.Int),
        C("SoftwareVersionMinor", TdsColumnType.Int), C("SoftwareVersionBuild", TdsColumnType.Int), C("MachineName", TdsColumnType.NVarChar(128)), C("Flags", TdsColumnType.Int),
        C("BindingID", TdsColumnType.UniqueIdentifier), C("RecoveryForkID", TdsColumnType.UniqueIdentifier), C("Collation", TdsColumnType.NVarChar(128)),
        C("FamilyGUID", TdsColumnType.UniqueIdentifier), C("HasBulkLoggedData", TdsColumnType.Bit), C("IsSnapshot", TdsColumnType.Bit), C("IsReadOnly", TdsColumnType.Bit),
        C("IsSingleUser", TdsColumnType.Bit), C("HasBackupChecksums", TdsColumnType.Bit), C("IsDamaged", TdsColumnType.Bit), C("BeginsLogChain", TdsColumnType.Bit),
        C("HasIncompleteMetaData", TdsColumnType.Bit), C("IsForceOffline", TdsColumnType.Bit), C("IsCopyOnly", TdsColumnType.Bit),
        C("FirstRecoveryForkID", TdsColumnType.UniqueIdentifier), C("ForkPointLSN", Lsn), C("RecoveryModel", TdsColumnType.NVarChar(60)), C("DifferentialBaseLSN", Lsn),
        C("DifferentialBaseGUID", TdsColumnType.UniqueIdentifier), C("BackupTypeDescription", TdsColumnType.NVarChar(60)), C("BackupSetGUID", TdsColumnType.UniqueIdentifier),
        C("CompressedBackupSize", TdsColumnType.BigInt), C("Containment", TdsColumnType.TinyInt), C("KeyAlgorithm", TdsColumnType.NVarChar(32)),
        C("EncryptorThumbprint", TdsColumnType.VarChar(40)), C("EncryptorType", TdsColumnType.NVarChar(32)), C("LastValidRestoreTime", TdsColumnType.DateTime),
        C("TimeZone", TdsColumnType.NVarChar(32)), C("CompressionAlgorithm", TdsColumnType.NVarChar(32)),
    ];

    public static IReadOnlyList<object?> HeaderRow(SandboxBackupHeader h, SandboxSqlProfile profile)
    {
        var version = Version.Parse(h.SoftwareVersion ?? profile.ProductVersion);
        return
        [
            h.BackupName, h.Description, (short)1, null, h.Compressed, (short)1, (byte)2,
            "orchprep", h.ServerName, h.Database,
            957, h.StartDate.AddYears(-2), (decimal)h.BackupSize, h.FirstLsn, h.LastLsn,
            h.CheckpointLsn, h.DatabaseBackupLsn, h.StartDate, h.FinishDate,
            (short)52, (short)0, 1033, 196609,
            (byte)160, 4608, version.Major,
            version.Minor, version.Build, h.ServerName, 512,
            h.BackupSetId, h.MediaSetId, h.Collation,
            h.FamilyId, false, false, false,
            false, h.Checksums, false, false,
            false, false, h.CopyOnly,
            h.MediaSetId, null, h.RecoveryModel, null,
            null, "Database", h.BackupSetId,
            h.CompressedBackupSize, (byte)0, null,
            null, null, null,
            "+00:00", h.Compressed ? "MS_XPRESS" : null,
        ];
    }

    public static IReadOnlyList<TdsColumn> FileListOnly { get; } =
    [
        C("LogicalName", TdsColumnType.NVarChar(128)), C("PhysicalName", TdsColumnType.NVarChar(260)), C("Type", TdsColumnType.VarChar(1)),
        C("FileGroupName", TdsColumnType.NVarChar(128)), C("Size", Size), C("MaxSize", Size), C("FileId", TdsColumnType.BigInt), C("CreateLSN", Lsn),
        C("DropLSN", Lsn), C("UniqueId", TdsColumnType.UniqueIdentifier), C("ReadOnlyLSN", Lsn), C("ReadWriteLSN", Lsn), C("BackupSizeInBytes", TdsColumnType.BigInt),
        C("SourceBlockSize", TdsColumnType.Int), C("FileGroupId", TdsColumnType.Int), C("LogGroupGUID", TdsColumnType.UniqueIdentifier), C("DifferentialBaseLSN", Lsn),
        C("DifferentialBaseGUID", TdsColumnType.UniqueIdentifier), C("IsReadOnly", TdsColumnType.Bit), C("IsPresent", TdsColumnType.Bit), C("TDEThumbprint", TdsColumnType.VarChar(40)),
        C("SnapshotUrl", TdsColumnType.NVarChar(360)),
    ];

    public static IReadOnlyList<object?> FileListRow(SandboxDatabaseFile f, SandboxBackupHeader h) =>
    [
        f.LogicalName, f.PhysicalName, f.Type,
        f.Type == "D" ? "PRIMARY" : null, (decimal)f.SizeBytes, 35184372080640m, (long)f.FileId, 0m,
        0m, new Guid(f.FileId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 0m, 0m, f.UsedBytes,
        512, f.Type == "D" ? 1 : 0, null, h.FirstLsn,
        h.BackupSetId, false, true, null,
        null,
    ];
}
