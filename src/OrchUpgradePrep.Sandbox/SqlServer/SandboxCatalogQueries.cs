using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>The SELECTs the sandbox understands: SERVERPROPERTY/@@ lists, sys.databases, sys.database_files,
/// sys.dm_os_volume_stats, permission functions and msdb backup history. Any other object → 208.</summary>
internal sealed partial class SandboxCatalogQueries(SandboxSqlEngine engine)
{
    private SandboxSqlProfile Profile => engine.Profile;

    public async Task AnswerAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        if (text.Contains("FROM msdb.dbo.backupset", StringComparison.OrdinalIgnoreCase))
        {
            engine.Permissions.DemandObject(request.Session.Login, "msdb", "dbo", "backupset", "SELECT");
            if (text.Contains("msdb.dbo.backupmediafamily", StringComparison.OrdinalIgnoreCase))
            {
                engine.Permissions.DemandObject(request.Session.Login, "msdb", "dbo", "backupmediafamily", "SELECT");
            }

            await HistoryAsync(text, request, response, cancellationToken);
        }
        else if (text.Contains("sys.dm_os_volume_stats", StringComparison.OrdinalIgnoreCase))
        {
            await engine.Permissions.DemandViewServerStateAsync(request.Session.Login, response, cancellationToken);

            await response.SendResultSetAsync(
                [new("volume_mount_point", TdsColumnType.NVarChar(256)), new("total_bytes", TdsColumnType.BigInt), new("available_bytes", TdsColumnType.BigInt)],
                [[engine.VolumeMountPoint, Profile.VolumeBytes, engine.AvailableBytes]],
                cancellationToken);
        }
        else if (text.Contains("FROM sys.database_files", StringComparison.OrdinalIgnoreCase))
        {
            var database = engine.Database(request.Session.Database) ?? engine.Database(Profile.DatabaseName)!;
            await response.SendResultSetAsync(
                [new("name", TdsColumnType.NVarChar(128)), new("physical_name", TdsColumnType.NVarChar(260)), new("type_desc", TdsColumnType.NVarChar(60)),
                 new("size_bytes", TdsColumnType.BigInt), new("used_bytes", TdsColumnType.BigInt)],
                database.Files.Select(f => (IReadOnlyList<object?>)[f.LogicalName, f.PhysicalName, f.Type == "D" ? "ROWS" : "LOG", f.SizeBytes / 8192 * 8192, f.UsedBytes / 8192 * 8192]),
                cancellationToken);
        }
        else if (text.Contains("FROM sys.databases", StringComparison.OrdinalIgnoreCase))
        {
            var wanted = request.Parameters.TryGetValue("@database", out var name) ? name as string : NameLiteral().Match(text) is { Success: true } m ? SandboxSqlEngine.SqlLiteral(m.Groups[1].Value) : null;
            var rows = engine.Databases()
                .Where(d => wanted is null || string.Equals(d.Name, wanted, StringComparison.OrdinalIgnoreCase))
                .Select(d => (IReadOnlyList<object?>)[d.Name, d.State, d.RecoveryModel, d.Collation, false]);
            await response.SendResultSetAsync(
                [new("name", TdsColumnType.NVarChar(128)), new("state_desc", TdsColumnType.NVarChar(60)), new("recovery_model_desc", TdsColumnType.NVarChar(60)),
                 new("collation_name", TdsColumnType.NVarChar(128)), new("is_encrypted", TdsColumnType.Bit)],
                rows,
                cancellationToken);
        }
        else if (FromPattern().Match(text) is { Success: true } from)
        {
            throw new SqlErrorException(208, 16, 1, $"Invalid object name '{from.Groups[1].Value}'.");
        }
        else
        {
            await ExpressionsAsync(text, request, response, cancellationToken);
        }
    }

    /// <summary>SELECT of expressions only: SERVERPROPERTY(…), CAST(… AS t), @@VERSION, @@SERVERNAME, DB_NAME(), permission functions, integers.</summary>
    private async Task ExpressionsAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
        var columns = new List<TdsColumn>();
        var values = new List<object?>();
        foreach (var item in SplitTopLevel(text["SELECT ".Length..]))
        {
            var aliased = AliasPattern().Match(item);
            var expression = aliased.Success ? aliased.Groups["expr"].Value.Trim() : item.Trim();
            var alias = aliased.Success ? aliased.Groups["alias"].Value.Trim('[', ']') : string.Empty;
            var cast = CastPattern().Match(expression);
            var inner = cast.Success ? cast.Groups["expr"].Value.Trim() : expression;
            var asInt = cast.Success && cast.Groups["type"].Value.StartsWith("int", StringComparison.OrdinalIgnoreCase);
            var value = Evaluate(inner, request);
            if (asInt || value is int)
            {
                columns.Add(new TdsColumn(alias, TdsColumnType.Int));
                values.Add(value is null ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture));
            }
            else
            {
                columns.Add(new TdsColumn(alias, TdsColumnType.NVarChar(4000)));
                values.Add(value?.ToString());
            }
        }

        await response.SendResultSetAsync(columns, [values], cancellationToken);
    }

    private object? Evaluate(string expression, SqlRequest request)
    {
        if (ServerPropertyPattern().Match(expression) is { Success: true } property)
        {
            return property.Groups[1].Value.ToUpperInvariant() switch
            {
                "PRODUCTVERSION" => Profile.ProductVersion,
                "PRODUCTLEVEL" => Profile.ProductLevel,
                "PRODUCTUPDATELEVEL" => Profile.ProductUpdateLevel,
                "EDITION" => Profile.Edition,
                "ENGINEEDITION" => Profile.EngineEdition,
                "COLLATION" => Profile.Collation,
                "SERVERNAME" => Profile.ServerName,
                "MACHINENAME" => Profile.MachineName,
                "ISCLUSTERED" => 0,
                "ISHADRENABLED" => 0,
                "INSTANCEDEFAULTBACKUPPATH" => engine.BackupDirectory,
                "INSTANCEDEFAULTDATAPATH" => engine.DataDirectory,
                _ => null,
            };
        }

        if (IntegerPattern().IsMatch(expression))
        {
            return int.Parse(expression, CultureInfo.InvariantCulture);
        }

        var permission = PermissionPattern().Match(expression);
        if (permission.Success)
        {
            var function = permission.Groups["fn"].Value.ToUpperInvariant();
            var args = permission.Groups["args"].Value;
            return engine.Permissions.Evaluate(function, args, request);
        }

        return expression.ToUpperInvariant() switch
        {
            "@@VERSION" => VersionText(),
            "@@SERVERNAME" => Profile.ServerName,
            "DB_NAME()" => request.Session.Database,
            "SUSER_SNAME()" => request.Session.Login,
            "@@SPID" => 51 + request.Session.ConnectionId,
            _ => throw new SqlErrorException(102, 15, 1, $"Incorrect syntax near '{expression.Split(' ', '(')[0]}'."),
        };
    }

    private string VersionText()
    {
        var major = Version.Parse(Profile.ProductVersion).Major;
        var year = major switch { 11 => "2012", 12 => "2014", 13 => "2016", 14 => "2017", 15 => "2019", 16 => "2022", 17 => "2025", _ => "vNext" };
        return $"Microsoft SQL Server {year} ({Profile.ProductLevel}-{Profile.ProductUpdateLevel}) - {Profile.ProductVersion} (X64) \n\tOct 1 2024 00:00:00 \n\tCopyright (C) {year} Microsoft Corporation\n\t{Profile.Edition} on Windows Server 2022 Standard 10.0 <X64> (Build 20348: ) (Hypervisor)\n";
    }

    private async Task HistoryAsync(string text, SqlRequest request, ITdsResponse response, CancellationToken cancellationToken)
    {
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

    /// <summary>Splits a select list at commas outside parentheses and quotes.</summary>
    private static List<string> SplitTopLevel(string list)
    {
        var items = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                items.Add(list[start..i].Trim());
                start = i + 1;
            }
        }

        items.Add(list[start..].Trim());
        return items;
    }

    [GeneratedRegex(@"^(?<expr>.+?) AS (?<alias>\[[^\]]+\]|\w+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^CAST ?\( ?(?<expr>.+) AS (?<type>\w+(?: ?\(\d+\))?) ?\)$", RegexOptions.IgnoreCase)]
    private static partial Regex CastPattern();

    [GeneratedRegex(@"^SERVERPROPERTY ?\( ?N?'(\w+)' ?\)$", RegexOptions.IgnoreCase)]
    private static partial Regex ServerPropertyPattern();

    [GeneratedRegex(@"^(?<fn>IS_SRVROLEMEMBER|HAS_PERMS_BY_NAME) ?\((?<args>.*)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex PermissionPattern();

    [GeneratedRegex(@"^-?\d{1,9}$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"\bFROM ([\w.\[\]#@]+)", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\bname = (N?'(?:[^']|'')*')", RegexOptions.IgnoreCase)]
    private static partial Regex NameLiteral();
}
