using System.Globalization;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// What must be known before a backup is written: the instance and its edition (compression), the database
/// and its used size (the backup's size), free space where the backup goes, and what the login may do.
/// Read-only: check mode and prepare share it.
/// </summary>
public sealed record BackupPreflight
{
    public required SqlServerFacts Server { get; init; }
    public required string ServerName { get; init; }
    public required string Database { get; init; }
    public string? DatabaseState { get; init; }
    public string? RecoveryModel { get; init; }
    public bool IsEncrypted { get; init; }
    public required IReadOnlyList<DatabaseFile> Files { get; init; }
    public required BackupPermissions Permissions { get; init; }

    /// <summary>The login as SQL Server names it (SUSER_SNAME()), for the GRANT statements a report names; null when not read.</summary>
    public string? LoginName { get; init; }

    /// <summary>Grants of docs/sql-permissions.md's script the login lacks (<see cref="LoginGrants"/>); empty for sysadmin.</summary>
    public IReadOnlyList<LoginGrant> MissingGrants { get; init; } = [];

    /// <summary>Volumes SQL Server reports (those holding database files); null when the login may not read them.</summary>
    public IReadOnlyList<SqlVolume>? Volumes { get; init; }

    /// <summary>Why <see cref="Volumes"/> is null.</summary>
    public string? VolumesUnavailableReason { get; init; }

    /// <summary>Used pages of data and log: what a full backup holds (docs/facts/sql-backup.md#disk-space).</summary>
    public long EstimatedBackupBytes => Files.Sum(f => f.UsedBytes);

    /// <summary>Compression is an Enterprise/Standard/Developer feature; Express and Web lack it (EngineEdition 2 covers Standard and Web).</summary>
    public bool EditionSupportsCompression =>
        Server.EngineEdition is 2 or 3 or 8
        && Server.Edition is { } edition
        && !edition.Contains("Web", StringComparison.OrdinalIgnoreCase)
        && !edition.Contains("Express", StringComparison.OrdinalIgnoreCase);

    public static async Task<BackupPreflight> ReadAsync(ISqlSession session, SqlConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(config);
        var database = new Dictionary<string, object?> { ["@database"] = config.Database };
        var server = await SqlServerFacts.ReadAsync(session, cancellationToken).ConfigureAwait(false);
        var serverRows = await session.QueryAsync(BackupQueries.ServerName, null, cancellationToken).ConfigureAwait(false);
        var serverName = (serverRows.Count > 0 ? serverRows[0].String("ServerName") : null) ?? "sqlserver";
        var databaseRows = await session.QueryAsync(BackupQueries.Database, database, cancellationToken).ConfigureAwait(false);
        var databaseRow = (databaseRows.Count > 0 ? databaseRows[0] : null)
            ?? throw new SqlSessionException($"the database '{config.Database}' does not exist on this server (sys.databases has no row)");
        var files = (await session.QueryAsync(BackupQueries.DatabaseFiles, null, cancellationToken).ConfigureAwait(false))
            .Select(r => new DatabaseFile(
                r.String("name") ?? "?",
                r.String("physical_name") ?? "?",
                r.String("type_desc") ?? "?",
                r.Int64("size_bytes") ?? 0,
                r.Int64("used_bytes") ?? r.Int64("size_bytes") ?? 0))
            .ToList();
        var permissionsRow = (await session.QueryAsync(BackupQueries.Permissions, database, cancellationToken).ConfigureAwait(false)).Single();
        string? loginName = null;
        IReadOnlyList<LoginGrant> missingGrants = [];
        if (!permissionsRow.Flag("is_sysadmin"))
        {
            // What prepare will need beyond the backup itself, asked before anything runs into a 229 / 916.
            var grants = LoginGrants.For(config.Database);
            var grantsRow = (await session.QueryAsync(LoginGrants.Query(grants), null, cancellationToken).ConfigureAwait(false)).Single();
            loginName = grantsRow.String("login_name");
            missingGrants = LoginGrants.Missing(grants, grantsRow);
        }

        IReadOnlyList<SqlVolume>? volumes = null;
        string? volumesReason = null;
        try
        {
            volumes = (await session.QueryAsync(BackupQueries.Volumes, null, cancellationToken).ConfigureAwait(false))
                .Select(r => new SqlVolume(r.String("volume_mount_point") ?? string.Empty, r.Int64("total_bytes") ?? 0, r.Int64("available_bytes") ?? 0))
                .ToList();
        }
        catch (SqlSessionException ex) when (ex.Number is 297 or 300)
        {
            // sys.dm_os_volume_stats needs VIEW SERVER STATE; without it free space is unknown, not a failure.
            volumesReason = $"SQL Server did not report volume free space ({ex.Message})";
        }

        return new BackupPreflight
        {
            Server = server,
            ServerName = serverName,
            Database = databaseRow.String("name") ?? config.Database,
            DatabaseState = databaseRow.String("state_desc"),
            RecoveryModel = databaseRow.String("recovery_model_desc"),
            IsEncrypted = databaseRow.Flag("is_encrypted"),
            Files = files,
            Permissions = new BackupPermissions(
                permissionsRow.Flag("is_sysadmin"),
                permissionsRow.Flag("can_backup"),
                permissionsRow.Flag("can_create_database"),
                permissionsRow.Flag("can_control_server")),
            Volumes = volumes,
            VolumesUnavailableReason = volumesReason,
            LoginName = loginName ?? config.User,
            MissingGrants = missingGrants,
        };
    }

    /// <summary>The reported volume that holds <paramref name="directory"/> (longest mount point that prefixes it), if any.</summary>
    public SqlVolume? VolumeFor(string directory)
    {
        if (Volumes is null)
        {
            return null;
        }

        var path = ServerPath.Normalize(directory);
        return Volumes
            .Where(v => v.MountPoint.Length > 0 && path.StartsWith(ServerPath.Normalize(v.MountPoint), StringComparison.OrdinalIgnoreCase))
            .MaxBy(v => v.MountPoint.Length);
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Database}: {DatabaseState ?? "?"}, recovery model {RecoveryModel ?? "?"}, {Files.Count} files, used {Bytes.Format(EstimatedBackupBytes)} of {Bytes.Format(Files.Sum(f => f.SizeBytes))}{(IsEncrypted ? ", TDE encrypted" : string.Empty)}");
}

public sealed record DatabaseFile(string LogicalName, string PhysicalName, string Type, long SizeBytes, long UsedBytes);

public sealed record SqlVolume(string MountPoint, long TotalBytes, long AvailableBytes);

/// <summary>BACKUP needs sysadmin, db_owner or db_backupoperator; VERIFYONLY/HEADERONLY/test restore need CREATE DATABASE;
/// the service master key backup needs CONTROL SERVER (docs/facts/sql-backup.md#permissions).</summary>
public sealed record BackupPermissions(bool IsSysadmin, bool CanBackup, bool CanCreateDatabase, bool CanControlServer);
