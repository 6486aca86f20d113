using Microsoft.SqlServer.TransactSql.ScriptDom;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>One column of a catalogued object, with the type Microsoft documents for it.</summary>
internal sealed record SandboxCatalogColumn(string Name, TdsColumnType Type);

/// <summary>Where an object's name resolves: system views in every database, msdb's tables in msdb, Orchestrator's
/// objects only in the Orchestrator database.</summary>
internal enum SandboxObjectHome
{
    EveryDatabase,
    Msdb,
    OrchestratorDatabase,
}

/// <summary>An object the simulated server knows; <paramref name="IsFunction"/> for table-valued functions (sys.dm_os_volume_stats).</summary>
internal sealed record SandboxCatalogObject(string Schema, string Name, SandboxObjectHome Home, bool IsFunction, IReadOnlyList<SandboxCatalogColumn> Columns)
{
    public string DisplayName => $"{Schema}.{Name}";

    public SandboxCatalogColumn? Column(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The objects the sandbox's SQL Server knows, each with its columns in the order Microsoft documents them. Only a
/// subset of each object's columns is catalogued (the ones orchprep reads, and a few neighbours): a real column left
/// out answers 207 here, which is stricter than SQL Server, never looser. Rows come from the engine's simulated state
/// for the objects a generic SELECT may read (<see cref="Rows"/>); the others are answered only for orchprep's own
/// queries.
/// </summary>
internal sealed class SandboxCatalog(SandboxSqlEngine engine, bool hasOrchestrator)
{
    private static readonly TdsColumnType SysName = TdsColumnType.NVarChar(128);
    private static readonly TdsColumnType Lsn = TdsColumnType.Numeric(25, 0);

    /// <summary>All catalogued objects. Sources:
    /// sys.databases — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-databases-transact-sql;
    /// sys.database_files — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-database-files-transact-sql;
    /// sys.master_files — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-master-files-transact-sql;
    /// sys.dm_os_volume_stats — https://learn.microsoft.com/sql/relational-databases/system-dynamic-management-views/sys-dm-os-volume-stats-transact-sql;
    /// INFORMATION_SCHEMA.COLUMNS — https://learn.microsoft.com/sql/relational-databases/system-information-schema-views/columns-transact-sql
    /// (its first eight columns; rows only for the user tables the login may read, as SQL Server's metadata visibility shows them);
    /// sys.certificates — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-certificates-transact-sql;
    /// sys.symmetric_keys — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-symmetric-keys-transact-sql;
    /// sys.dm_database_encryption_keys — https://learn.microsoft.com/sql/relational-databases/system-dynamic-management-views/sys-dm-database-encryption-keys-transact-sql;
    /// sys.dm_server_services — https://learn.microsoft.com/sql/relational-databases/system-dynamic-management-views/sys-dm-server-services-transact-sql;
    /// sys.objects — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-objects-transact-sql;
    /// sys.tables — https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-tables-transact-sql (the sys.objects columns it inherits);
    /// sys.dm_db_partition_stats — https://learn.microsoft.com/sql/relational-databases/system-dynamic-management-views/sys-dm-db-partition-stats-transact-sql;
    /// msdb.dbo.backupset — https://learn.microsoft.com/sql/relational-databases/system-tables/backupset-transact-sql;
    /// msdb.dbo.backupmediafamily — https://learn.microsoft.com/sql/relational-databases/system-tables/backupmediafamily-transact-sql;
    /// the Orchestrator objects — docs/orchestrator-database.md (Microsoft documents no columns for them: these are the
    /// columns orchprep's queries read, with the types the Orchestrator schema uses; POLICIES.CheckOutUser/CheckOutTime,
    /// FOLDERS, CAPS, OBJECTTYPES.PrimaryGroup and OBJECTS.ObjectType are UNCONFIRMED community names,
    /// docs/facts/orchestrator-versions.md#database-tables-read-defensively).</summary>
    public static readonly IReadOnlyList<SandboxCatalogObject> Objects =
    [
        new("sys", "databases", SandboxObjectHome.EveryDatabase, false,
        [
            new("name", SysName), new("database_id", TdsColumnType.Int), new("create_date", TdsColumnType.DateTime),
            new("compatibility_level", TdsColumnType.TinyInt), new("collation_name", SysName), new("user_access_desc", TdsColumnType.NVarChar(60)),
            new("is_read_only", TdsColumnType.Bit), new("state", TdsColumnType.TinyInt), new("state_desc", TdsColumnType.NVarChar(60)),
            new("recovery_model", TdsColumnType.TinyInt), new("recovery_model_desc", TdsColumnType.NVarChar(60)),
            new("is_master_key_encrypted_by_server", TdsColumnType.Bit), new("is_encrypted", TdsColumnType.Bit),
        ]),
        new("sys", "database_files", SandboxObjectHome.EveryDatabase, false,
        [
            new("file_id", TdsColumnType.Int), new("type", TdsColumnType.TinyInt), new("type_desc", TdsColumnType.NVarChar(60)), new("name", SysName),
            new("physical_name", TdsColumnType.NVarChar(260)), new("state", TdsColumnType.TinyInt), new("state_desc", TdsColumnType.NVarChar(60)),
            new("size", TdsColumnType.Int), new("max_size", TdsColumnType.Int), new("growth", TdsColumnType.Int),
        ]),
        new("sys", "master_files", SandboxObjectHome.EveryDatabase, false,
        [
            new("database_id", TdsColumnType.Int), new("file_id", TdsColumnType.Int), new("type", TdsColumnType.TinyInt), new("type_desc", TdsColumnType.NVarChar(60)),
            new("name", SysName), new("physical_name", TdsColumnType.NVarChar(260)), new("state", TdsColumnType.TinyInt), new("state_desc", TdsColumnType.NVarChar(60)),
            new("size", TdsColumnType.Int), new("max_size", TdsColumnType.Int), new("growth", TdsColumnType.Int),
        ]),
        new("INFORMATION_SCHEMA", "COLUMNS", SandboxObjectHome.EveryDatabase, false,
        [
            new("TABLE_CATALOG", SysName), new("TABLE_SCHEMA", SysName), new("TABLE_NAME", SysName), new("COLUMN_NAME", SysName),
            new("ORDINAL_POSITION", TdsColumnType.Int), new("COLUMN_DEFAULT", TdsColumnType.NVarChar(4000)), new("IS_NULLABLE", TdsColumnType.VarChar(3)),
            new("DATA_TYPE", SysName),
        ]),
        new("sys", "dm_os_volume_stats", SandboxObjectHome.EveryDatabase, true,
        [
            new("database_id", TdsColumnType.Int), new("file_id", TdsColumnType.Int), new("volume_mount_point", TdsColumnType.NVarChar(256)),
            new("volume_id", TdsColumnType.NVarChar(256)), new("logical_volume_name", TdsColumnType.NVarChar(256)), new("file_system_type", TdsColumnType.NVarChar(256)),
            new("total_bytes", TdsColumnType.BigInt), new("available_bytes", TdsColumnType.BigInt),
        ]),
        new("sys", "certificates", SandboxObjectHome.EveryDatabase, false,
        [
            new("name", SysName), new("certificate_id", TdsColumnType.Int), new("principal_id", TdsColumnType.Int),
            new("pvt_key_encryption_type", TdsColumnType.VarChar(2)), new("pvt_key_encryption_type_desc", TdsColumnType.NVarChar(60)),
            new("is_active_for_begin_dialog", TdsColumnType.Bit), new("issuer_name", TdsColumnType.NVarChar(442)), new("cert_serial_number", TdsColumnType.NVarChar(64)),
            new("sid", TdsColumnType.VarBinary(85)), new("string_sid", TdsColumnType.NVarChar(128)), new("subject", TdsColumnType.NVarChar(4000)),
            new("expiry_date", TdsColumnType.DateTime), new("start_date", TdsColumnType.DateTime), new("thumbprint", TdsColumnType.VarBinary(32)),
            new("attested_by", TdsColumnType.NVarChar(260)), new("pvt_key_last_backup_date", TdsColumnType.DateTime),
        ]),
        new("sys", "symmetric_keys", SandboxObjectHome.EveryDatabase, false,
        [
            new("name", SysName), new("principal_id", TdsColumnType.Int), new("symmetric_key_id", TdsColumnType.Int), new("key_length", TdsColumnType.Int),
            new("key_algorithm", TdsColumnType.VarChar(2)), new("algorithm_desc", TdsColumnType.NVarChar(60)), new("create_date", TdsColumnType.DateTime),
            new("modify_date", TdsColumnType.DateTime),
        ]),
        new("sys", "dm_database_encryption_keys", SandboxObjectHome.EveryDatabase, false,
        [
            new("database_id", TdsColumnType.Int), new("encryption_state", TdsColumnType.Int), new("create_date", TdsColumnType.DateTime),
            new("regenerate_date", TdsColumnType.DateTime), new("modify_date", TdsColumnType.DateTime), new("set_date", TdsColumnType.DateTime),
            new("opened_date", TdsColumnType.DateTime), new("key_algorithm", TdsColumnType.NVarChar(32)), new("key_length", TdsColumnType.Int),
            new("encryptor_thumbprint", TdsColumnType.VarBinary(20)), new("encryptor_type", TdsColumnType.NVarChar(32)),
        ]),
        new("sys", "dm_server_services", SandboxObjectHome.EveryDatabase, false,
        [
            new("servicename", TdsColumnType.NVarChar(256)), new("startup_type", TdsColumnType.Int), new("startup_type_desc", TdsColumnType.NVarChar(256)),
            new("status", TdsColumnType.Int), new("status_desc", TdsColumnType.NVarChar(256)), new("process_id", TdsColumnType.Int),
            new("last_startup_time", TdsColumnType.DateTime), new("service_account", TdsColumnType.NVarChar(256)), new("filename", TdsColumnType.NVarChar(256)),
        ]),
        new("sys", "objects", SandboxObjectHome.EveryDatabase, false,
        [
            new("name", SysName), new("object_id", TdsColumnType.Int), new("principal_id", TdsColumnType.Int), new("schema_id", TdsColumnType.Int),
            new("parent_object_id", TdsColumnType.Int), new("type", TdsColumnType.VarChar(2)), new("type_desc", TdsColumnType.NVarChar(60)),
            new("create_date", TdsColumnType.DateTime), new("modify_date", TdsColumnType.DateTime), new("is_ms_shipped", TdsColumnType.Bit),
        ]),
        new("sys", "tables", SandboxObjectHome.EveryDatabase, false,
        [
            new("name", SysName), new("object_id", TdsColumnType.Int), new("principal_id", TdsColumnType.Int), new("schema_id", TdsColumnType.Int),
            new("parent_object_id", TdsColumnType.Int), new("type", TdsColumnType.VarChar(2)), new("type_desc", TdsColumnType.NVarChar(60)),
            new("create_date", TdsColumnType.DateTime), new("modify_date", TdsColumnType.DateTime),
        ]),
        new("sys", "dm_db_partition_stats", SandboxObjectHome.EveryDatabase, false,
        [
            new("partition_id", TdsColumnType.BigInt), new("object_id", TdsColumnType.Int), new("index_id", TdsColumnType.Int), new("partition_number", TdsColumnType.Int),
            new("in_row_data_page_count", TdsColumnType.BigInt), new("in_row_used_page_count", TdsColumnType.BigInt), new("in_row_reserved_page_count", TdsColumnType.BigInt),
            new("lob_used_page_count", TdsColumnType.BigInt), new("lob_reserved_page_count", TdsColumnType.BigInt), new("row_overflow_used_page_count", TdsColumnType.BigInt),
            new("row_overflow_reserved_page_count", TdsColumnType.BigInt), new("used_page_count", TdsColumnType.BigInt), new("reserved_page_count", TdsColumnType.BigInt),
            new("row_count", TdsColumnType.BigInt),
        ]),
        new("dbo", "backupset", SandboxObjectHome.Msdb, false,
        [
            new("backup_set_id", TdsColumnType.Int), new("backup_set_uuid", TdsColumnType.UniqueIdentifier), new("media_set_id", TdsColumnType.Int),
            new("name", SysName), new("description", TdsColumnType.NVarChar(255)), new("user_name", SysName),
            new("first_lsn", Lsn), new("last_lsn", Lsn), new("checkpoint_lsn", Lsn), new("database_backup_lsn", Lsn),
            new("database_creation_date", TdsColumnType.DateTime), new("backup_start_date", TdsColumnType.DateTime), new("backup_finish_date", TdsColumnType.DateTime),
            new("type", TdsColumnType.VarChar(1)), new("backup_size", TdsColumnType.Numeric(20, 0)), new("database_name", SysName), new("server_name", SysName),
            new("machine_name", SysName), new("recovery_model", TdsColumnType.NVarChar(60)), new("has_backup_checksums", TdsColumnType.Bit),
            new("is_damaged", TdsColumnType.Bit), new("is_copy_only", TdsColumnType.Bit), new("compressed_backup_size", TdsColumnType.Numeric(20, 0)),
        ]),
        new("dbo", "backupmediafamily", SandboxObjectHome.Msdb, false,
        [
            new("media_set_id", TdsColumnType.Int), new("family_sequence_number", TdsColumnType.TinyInt), new("media_family_id", TdsColumnType.UniqueIdentifier),
            new("media_count", TdsColumnType.Int), new("logical_device_name", SysName), new("physical_device_name", TdsColumnType.NVarChar(260)),
            new("device_type", TdsColumnType.TinyInt), new("physical_block_size", TdsColumnType.Int), new("mirror", TdsColumnType.TinyInt),
        ]),
        new(SandboxOrchestratorQueries.RuntimeSchema, "Jobs", SandboxObjectHome.OrchestratorDatabase, false,
        [
            new("Id", TdsColumnType.UniqueIdentifier), new("RunbookId", TdsColumnType.UniqueIdentifier), new("Status", TdsColumnType.NVarChar(50)),
            new("RunbookServerId", TdsColumnType.UniqueIdentifier), new("CreationTime", TdsColumnType.DateTime),
        ]),
        new("dbo", "POLICIES", SandboxObjectHome.OrchestratorDatabase, false,
        [
            new("UniqueID", TdsColumnType.UniqueIdentifier), new("Name", TdsColumnType.NVarChar(255)), new("ParentID", TdsColumnType.UniqueIdentifier),
            new("CheckOutUser", TdsColumnType.NVarChar(255)), new("CheckOutTime", TdsColumnType.DateTime),
        ]),
        new("dbo", "FOLDERS", SandboxObjectHome.OrchestratorDatabase, false,
            [new("UniqueID", TdsColumnType.UniqueIdentifier), new("ParentID", TdsColumnType.UniqueIdentifier), new("Name", TdsColumnType.NVarChar(255))]),
        new("dbo", "CAPS", SandboxObjectHome.OrchestratorDatabase, false,
            [new("UniqueID", TdsColumnType.UniqueIdentifier), new("Name", TdsColumnType.NVarChar(255)), new("Version", TdsColumnType.NVarChar(50))]),
        new("dbo", "OBJECTTYPES", SandboxObjectHome.OrchestratorDatabase, false,
            [new("UniqueID", TdsColumnType.UniqueIdentifier), new("Name", TdsColumnType.NVarChar(255)), new("PrimaryGroup", TdsColumnType.UniqueIdentifier)]),
        new("dbo", "OBJECTS", SandboxObjectHome.OrchestratorDatabase, false,
        [
            new("UniqueID", TdsColumnType.UniqueIdentifier), new("ParentID", TdsColumnType.UniqueIdentifier), new("Name", TdsColumnType.NVarChar(255)),
            new("ObjectType", TdsColumnType.UniqueIdentifier),
        ]),
        new("dbo", "POLICYINSTANCES", SandboxObjectHome.OrchestratorDatabase, false,
        [
            new("UniqueID", TdsColumnType.UniqueIdentifier), new("PolicyID", TdsColumnType.UniqueIdentifier), new("SeqNumber", TdsColumnType.BigInt),
            new("ActionServer", TdsColumnType.UniqueIdentifier), new("JobId", TdsColumnType.UniqueIdentifier), new("TimeStarted", TdsColumnType.DateTime),
            new("TimeEnded", TdsColumnType.DateTime),
        ]),
        new("dbo", "ACTIONSERVERS", SandboxObjectHome.OrchestratorDatabase, false,
            [new("UniqueID", TdsColumnType.UniqueIdentifier), new("Computer", TdsColumnType.NVarChar(255))]),
        new("dbo", "POLICY_REQUEST_HISTORY", SandboxObjectHome.OrchestratorDatabase, false,
            [new("PolicyID", TdsColumnType.UniqueIdentifier), new("SeqNumber", TdsColumnType.BigInt), new("Active", TdsColumnType.Bit)]),
    ];

    /// <summary>The object a (one- to three-part) name means in <paramref name="sessionDatabase"/>, or SQL Server's
    /// 208 with the name as written (brackets removed).</summary>
    public (SandboxCatalogObject Object, string Database) Resolve(SchemaObjectName name, string sessionDatabase)
    {
        var database = name.DatabaseIdentifier?.Value ?? sessionDatabase;
        var schema = name.SchemaIdentifier?.Value ?? "dbo";
        var found = name.ServerIdentifier is null && engine.Database(database) is { } db
            ? Objects.FirstOrDefault(o => string.Equals(o.Schema, schema, StringComparison.OrdinalIgnoreCase)
                && string.Equals(o.Name, name.BaseIdentifier.Value, StringComparison.OrdinalIgnoreCase)
                && IsHome(o.Home, db.Name))
            : null;
        return found is null ? throw InvalidObject(name) : (found, engine.Database(database)!.Name);
    }

    public static SqlErrorException InvalidObject(SchemaObjectName name) =>
        new(208, 16, 1, $"Invalid object name '{string.Join('.', name.Identifiers.Select(i => i.Value))}'.");

    /// <summary>Rows in catalogue column order for the objects a generic SELECT may read; null for the ones the
    /// sandbox answers only in orchprep's own queries (msdb history, volumes, Orchestrator), which a generic SELECT
    /// answers as not simulated.</summary>
    public IEnumerable<object?[]>? Rows(SandboxCatalogObject table, string database, string login)
    {
        if (table is { Schema: "INFORMATION_SCHEMA", Name: "COLUMNS" })
        {
            return ColumnRows(database, login);
        }

        if (table.Home == SandboxObjectHome.OrchestratorDatabase && engine.Orchestrator is { } orchestrator)
        {
            return SandboxOrchestratorTables.Rows(orchestrator, table.Name);
        }

        if (table.Schema != "sys")
        {
            return null;
        }

        var databases = engine.Databases().OrderBy(DatabaseId).ToList();
        return table.Name switch
        {
            "databases" => databases.Select(d => new object?[]
            {
                d.Name, DatabaseId(d), CreateDate, (byte)CompatibilityLevel(), d.Collation, "MULTI_USER", false,
                (byte)(d.State == SandboxDatabase.Online ? 0 : 1), d.State, (byte)RecoveryModel(d.RecoveryModel), d.RecoveryModel,
                d.MasterKeyEncryptedByServer,
                IsOrchestrator(d.Name) && engine.Profile.TdeCertificate is not null,
            }),
            "certificates" => MaySeeMetadata(login, database) ? Certificates(database) : [],
            "dm_server_services" =>
            [
                ["SQL Server (MSSQLSERVER)", 2, "Automatic", 4, "Running", 2148, CreateDate, engine.Profile.ServiceAccount, "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER"],
                ["SQL Server Agent (MSSQLSERVER)", 2, "Automatic", 4, "Running", 3012, CreateDate, @"NT Service\SQLSERVERAGENT", "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE\" -i MSSQLSERVER"],
            ],
            "objects" => MaySeeMetadata(login, database) ? UserObjects(database) : [],
            "symmetric_keys" => MaySeeMetadata(login, database) ? SymmetricKeys(database) : [],
            "dm_database_encryption_keys" => EncryptionKeys(databases),
            "database_files" => (engine.Database(database)?.Files ?? []).Select(f => FileRow(f, null)),
            "master_files" => databases.SelectMany(d => d.Files.Select(f => FileRow(f, DatabaseId(d)))),
            _ => null,
        };
    }

    /// <summary>INFORMATION_SCHEMA.COLUMNS of the user tables of <paramref name="database"/> the login may SELECT (a
    /// table the login has no permission on is not shown, as SQL Server's metadata visibility rules say).</summary>
    private IEnumerable<object?[]> ColumnRows(string database, string login) =>
        Objects
            .Where(o => o.Home != SandboxObjectHome.EveryDatabase && IsHome(o.Home, database))
            .Where(o => engine.Permissions.HasObjectPermission(login, database, o.Schema, o.Name, "SELECT"))
            .SelectMany(o => o.Columns.Select((c, i) => new object?[]
            {
                database, o.Schema, o.Name, c.Name, i + 1, null, "YES", c.Type.Kind.ToString().ToLowerInvariant(),
            }));

    private static readonly DateTime CreateDate = new(2024, 10, 1, 0, 0, 0, DateTimeKind.Utc);

    private bool IsOrchestrator(string database) => string.Equals(database, engine.Profile.DatabaseName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Metadata visibility: keys and certificates show only to a login that may see their definition (sysadmin,
    /// VIEW ANY DEFINITION, or VIEW DEFINITION in the database — db_owner holds it); others get no rows, not an error.
    /// Stricter than SQL Server, which also shows a principal what it owns.</summary>
    private bool MaySeeMetadata(string login, string database) =>
        engine.Permissions.HasServerPermission(login, "VIEW ANY DEFINITION") || engine.Permissions.HasDatabasePermission(login, database, "VIEW DEFINITION");

    /// <summary>master holds the built-in signing certificate (no private key) and the profile's certificates.</summary>
    private IEnumerable<object?[]> Certificates(string database)
    {
        if (!string.Equals(database, "master", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var now = engine.Clock.GetUtcNow().UtcDateTime;
        object?[] builtIn = ["##MS_SQLResourceSigningCertificate##", 101, 1, "NA", "NO_PRIVATE_KEY", false, "MS_SQLResourceSigningCertificate", "00", null, null,
            "MS_SQLResourceSigningCertificate", new DateTime(2099, 12, 31, 0, 0, 0, DateTimeKind.Utc), CreateDate,
            System.Security.Cryptography.SHA256.HashData("##MS_SQLResourceSigningCertificate##"u8)[..20], string.Empty, null];
        return [builtIn, .. engine.Profile.Certificates.Select((c, i) => new object?[]
        {
            c.Name, 256 + i, 1, c.HasPrivateKey ? "MK" : "NA", c.HasPrivateKey ? "ENCRYPTED_BY_MASTER_KEY" : "NO_PRIVATE_KEY", false, c.Name, "01", null, null,
            c.Name, CreateDate.AddYears(5), CreateDate, c.Thumbprint, string.Empty, c.LastBackupAge is { } age ? now - age : null,
        })];
    }

    /// <summary>The profile's user objects of this database (the system objects are not simulated: a SELECT sees only these).</summary>
    private IEnumerable<object?[]> UserObjects(string database) => engine.Profile.Objects
        .Where(o => string.Equals(o.Database, database, StringComparison.OrdinalIgnoreCase))
        .Select((o, i) => new object?[] { o.Name, 1_000_000 + i, null, 1, 0, o.Type, o.TypeDesc, CreateDate, CreateDate, false });

    /// <summary>master holds the service master key (and a master key when certificates protect TDE); the Orchestrator database its master key.</summary>
    private IEnumerable<object?[]> SymmetricKeys(string database)
    {
        object?[] Key(string name, int id) => [name, 1, id, 256, "A3", "AES_256", CreateDate, CreateDate];
        if (string.Equals(database, "master", StringComparison.OrdinalIgnoreCase))
        {
            return engine.Profile.Certificates.Count > 0 ? [Key("##MS_ServiceMasterKey##", 102), Key("##MS_DatabaseMasterKey##", 101)] : [Key("##MS_ServiceMasterKey##", 102)];
        }

        return engine.Database(database) is { HasMasterKey: true } ? [Key("##MS_DatabaseMasterKey##", 101)] : [];
    }

    /// <summary>One row per encrypted database (TDE): state 3 = encrypted, protected by the certificate's thumbprint.</summary>
    private IEnumerable<object?[]> EncryptionKeys(IReadOnlyList<SandboxDatabase> databases)
    {
        var profile = engine.Profile;
        if (profile.TdeCertificate is not { } name || databases.FirstOrDefault(d => IsOrchestrator(d.Name)) is not { } orchestrator)
        {
            return [];
        }

        var thumbprint = profile.Certificates.FirstOrDefault(c => c.Name == name)?.Thumbprint ?? new byte[20];
        return [[DatabaseId(orchestrator), 3, CreateDate, CreateDate, CreateDate, CreateDate, CreateDate, "AES", 256, thumbprint, "CERTIFICATE"]];
    }

    private bool IsHome(SandboxObjectHome home, string database) => home switch
    {
        SandboxObjectHome.EveryDatabase => true,
        SandboxObjectHome.Msdb => string.Equals(database, "msdb", StringComparison.OrdinalIgnoreCase),
        _ => hasOrchestrator && string.Equals(database, engine.Profile.DatabaseName, StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>master 1, msdb 4 (as on every SQL Server), user databases from 5 in name order.</summary>
    private int DatabaseId(SandboxDatabase database)
    {
        if (string.Equals(database.Name, "master", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (string.Equals(database.Name, "msdb", StringComparison.OrdinalIgnoreCase))
        {
            return 4;
        }

        var users = engine.DatabaseNames.Where(n => n is not ("master" or "msdb")).ToList();
        return 5 + users.FindIndex(n => string.Equals(n, database.Name, StringComparison.OrdinalIgnoreCase));
    }

    private int CompatibilityLevel() => (Version.TryParse(engine.Profile.ProductVersion, out var v) ? v.Major : 16) * 10;

    private static int RecoveryModel(string model) => model.ToUpperInvariant() switch { "FULL" => 1, "BULK_LOGGED" => 2, _ => 3 };

    /// <summary>A file row in sys.database_files order, or sys.master_files order when <paramref name="databaseId"/> is given. Sizes are 8-KB pages.</summary>
    private static object?[] FileRow(SandboxDatabaseFile file, int? databaseId)
    {
        object?[] row = [file.FileId, (byte)(file.Type == "D" ? 0 : 1), file.Type == "D" ? "ROWS" : "LOG", file.LogicalName, file.PhysicalName, (byte)0, "ONLINE",
            (int)(file.SizeBytes / 8192), -1, 8192];
        return databaseId is { } id ? [id, .. row] : row;
    }
}
