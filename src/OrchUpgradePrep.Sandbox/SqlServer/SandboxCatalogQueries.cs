using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>orchprep's own joins, answered by hand after <see cref="SandboxNameBinder"/> bound every name in them: the
/// msdb backup history queries and the volumes query. The engine sends only those exact statements here; any other
/// SELECT over these objects is refused as not simulated.</summary>
internal sealed class SandboxCatalogQueries(SandboxSqlEngine engine)
{
    private SandboxSqlProfile Profile => engine.Profile;

    /// <summary>The volumes query (<see cref="BackupQueries.Volumes"/>): the one simulated volume, if the login may see it.</summary>
    public async Task VolumesAsync(SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        await engine.Permissions.DemandViewServerStateAsync(request.Session.Login, response, cancellationToken);

        await response.SendResultSetAsync(
            [new("volume_mount_point", TdsColumnType.NVarChar(256)), new("total_bytes", TdsColumnType.BigInt), new("available_bytes", TdsColumnType.BigInt)],
            [[engine.VolumeMountPoint, Profile.VolumeBytes, engine.AvailableBytes]],
            cancellationToken);
    }

    /// <summary>The log tables' sizes (<see cref="LogHygieneCheck.TablesQuery"/>): a database-scoped DMV, so VIEW DATABASE
    /// STATE first (300 then 297, as for the server-scoped ones); rows only in the Orchestrator database.</summary>
    public async Task LogTablesAsync(SqlRequest request, ITdsResponse response, bool hasOrchestrator, CancellationToken cancellationToken)
    {
        var database = request.Session.Database;
        if (!engine.Permissions.HasDatabasePermission(request.Session.Login, database, "VIEW DATABASE STATE"))
        {
            await response.SendErrorAsync(300, 1, 14, $"VIEW DATABASE STATE permission was denied on object '{database}', database '{database}'.", cancellationToken);
            throw new SqlErrorException(297, 16, 1, "The user does not have permission to perform this action.");
        }

        var tables = hasOrchestrator && string.Equals(database, Profile.DatabaseName, StringComparison.OrdinalIgnoreCase) ? Profile.LogTables : [];
        await response.SendResultSetAsync(
            [new("table_name", TdsColumnType.NVarChar(128)), new("row_count", TdsColumnType.BigInt), new("reserved_bytes", TdsColumnType.BigInt)],
            tables.Select(t => (IReadOnlyList<object?>)[t.Name, t.Rows, t.ReservedBytes / 8192 * 8192]),
            cancellationToken);
    }

    /// <summary>The busiest runbook's log (<see cref="LogHygieneCheck.BusiestRunbookLogQuery"/>): SELECT on POLICYINSTANCES
    /// then POLICIES, in the order the query names them; in another database the tables do not exist (208).</summary>
    public async Task BusiestRunbookLogAsync(SqlRequest request, ITdsResponse response, bool hasOrchestrator, CancellationToken cancellationToken)
    {
        var database = request.Session.Database;
        if (!hasOrchestrator || !string.Equals(database, Profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
        {
            throw new SqlErrorException(208, 16, 1, "Invalid object name 'dbo.POLICYINSTANCES'.");
        }

        engine.Permissions.DemandObject(request.Session.Login, database, "dbo", "POLICYINSTANCES", "SELECT");
        engine.Permissions.DemandObject(request.Session.Login, database, "dbo", "POLICIES", "SELECT");
        var started = engine.Clock.GetUtcNow().UtcDateTime;
        var busiest = Profile.RunbookLogs.Where(l => l.CompletedInstances > 0).OrderByDescending(l => l.CompletedInstances).Take(1);
        await response.SendResultSetAsync(
            [new("RunbookName", TdsColumnType.NVarChar(255)), new("entries", TdsColumnType.BigInt), new("oldest_ended", TdsColumnType.DateTime)],
            busiest.Select(l => (IReadOnlyList<object?>)[l.RunbookName, l.CompletedInstances, started - l.OldestEndedAgo]),
            cancellationToken);
    }

    /// <summary>The two msdb history queries (<see cref="BackupQueries.HistoryOfBackupSet"/>, <see cref="RecentFullVerifiedBackupCheck.HistoryQuery"/>).</summary>
    public async Task HistoryAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        // Both of orchprep's history queries join backupset with backupmediafamily: SELECT on each, in the order named.
        engine.Permissions.DemandObject(request.Session.Login, "msdb", "dbo", "backupset", "SELECT");
        engine.Permissions.DemandObject(request.Session.Login, "msdb", "dbo", "backupmediafamily", "SELECT");
        var database = request.Parameters.GetValueOrDefault("@database") as string ?? Profile.DatabaseName;
        var sets = engine.History().Where(s => string.Equals(s.DatabaseName, database, StringComparison.OrdinalIgnoreCase)).ToList();
        var lsn = TdsColumnType.Numeric(25, 0);
        if (text.Contains("bs.name = @name", StringComparison.OrdinalIgnoreCase))
        {
            var name = request.Parameters.GetValueOrDefault("@name") as string;
            var rows = sets.Where(s => s.Name == name).OrderByDescending(s => s.BackupSetId)
                .SelectMany(s => s.Devices.Select((device, i) => (IReadOnlyList<object?>)[
                    (int)s.BackupSetId, s.DatabaseName, "D", s.CopyOnly, s.HasChecksums, s.IsDamaged, s.FirstLsn, s.LastLsn, s.CheckpointLsn, s.DatabaseBackupLsn,
                    (decimal)s.BackupSize, (decimal)s.CompressedBackupSize, device, (byte)(i + 1)]));
            await response.SendResultSetAsync(
                [new("backup_set_id", TdsColumnType.Int), new("database_name", TdsColumnType.NVarChar(128)), new("type", TdsColumnType.VarChar(1)), new("is_copy_only", TdsColumnType.Bit),
                 new("has_backup_checksums", TdsColumnType.Bit), new("is_damaged", TdsColumnType.Bit), new("first_lsn", lsn), new("last_lsn", lsn), new("checkpoint_lsn", lsn),
                 new("database_backup_lsn", lsn), new("backup_size", TdsColumnType.Numeric(20, 0)), new("compressed_backup_size", TdsColumnType.Numeric(20, 0)),
                 new("physical_device_name", TdsColumnType.NVarChar(260)), new("family_sequence_number", TdsColumnType.TinyInt)],
                rows,
                cancellationToken);
            return;
        }

        if (text.Contains("SELECT TOP (50) bs.backup_finish_date, bmf.physical_device_name", StringComparison.OrdinalIgnoreCase))
        {
            // ServiceAccountAccessCheck.RecentDevicesQuery: every database's newest backups with their devices.
            await response.SendResultSetAsync(
                [new("backup_finish_date", TdsColumnType.DateTime), new("physical_device_name", TdsColumnType.NVarChar(260))],
                engine.History().OrderByDescending(s => s.FinishDate).Take(50).SelectMany(s => s.Devices.Select(d => (IReadOnlyList<object?>)[s.FinishDate, d])),
                cancellationToken);
            return;
        }

        if (text.Contains("backup_start_date, backup_finish_date FROM", StringComparison.OrdinalIgnoreCase))
        {
            // DatabaseSizeCheck.ThroughputQuery: the newest full backup's size and times.
            await response.SendResultSetAsync(
                [new("backup_size", TdsColumnType.Numeric(20, 0)), new("compressed_backup_size", TdsColumnType.Numeric(20, 0)),
                 new("backup_start_date", TdsColumnType.DateTime), new("backup_finish_date", TdsColumnType.DateTime)],
                sets.OrderByDescending(s => s.FinishDate).Take(1).Select(s => (IReadOnlyList<object?>)[(decimal)s.BackupSize, (decimal)s.CompressedBackupSize, s.StartDate, s.FinishDate]),
                cancellationToken);
            return;
        }

        // The newest full backup (check mode): msdb keeps server-local time; the sandbox's server runs on UTC.
        var clock = engine.Clock.GetUtcNow().UtcDateTime;
        var newest = sets.OrderByDescending(s => s.FinishDate).ThenByDescending(s => s.BackupSetId).Take(text.Contains("TOP (1)", StringComparison.OrdinalIgnoreCase) ? 1 : int.MaxValue);
        await response.SendResultSetAsync(
            [new("backup_set_id", TdsColumnType.Int), new("backup_finish_date", TdsColumnType.DateTime), new("age_minutes", TdsColumnType.Int), new("is_copy_only", TdsColumnType.Bit),
             new("has_backup_checksums", TdsColumnType.Bit), new("is_damaged", TdsColumnType.Bit), new("first_lsn", lsn), new("last_lsn", lsn),
             new("backup_size", TdsColumnType.Numeric(20, 0)), new("description", TdsColumnType.NVarChar(255)), new("physical_device_name", TdsColumnType.NVarChar(260))],
            newest.Select(s => (IReadOnlyList<object?>)[(int)s.BackupSetId, s.FinishDate, (int)(clock - s.FinishDate).TotalMinutes, s.CopyOnly, s.HasChecksums, s.IsDamaged,
                s.FirstLsn, s.LastLsn, (decimal)s.BackupSize, s.Description, s.Devices[0]]),
            cancellationToken);
    }
}
