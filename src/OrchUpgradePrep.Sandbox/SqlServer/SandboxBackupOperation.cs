using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>BACKUP DATABASE and the RESTORE family against real files in the sandbox's media format, with the
/// messages SQL Server sends (3211 progress live, 4035, 3014, 3262; 3201, 3202, 3183, 3241, 3132, 1801, 1834 … + 3013).</summary>
internal sealed partial class SandboxBackupOperation(SandboxSqlEngine engine, ITdsResponse response, TimeProvider time)
{
    private SandboxSqlProfile Profile => engine.Profile;

    /// <summary>The session's login: whose permissions BACKUP and RESTORE need, and who owns a restored copy.</summary>
    public string Login { get; init; } = SandboxPrincipals.AnyLogin;

    public async Task BackupAsync(string text, CancellationToken cancellationToken)
    {
        const string Verb = "BACKUP DATABASE";
        var match = BackupPattern().Match(text);
        if (!match.Success)
        {
            throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'TO'.");
        }

        var name = SandboxSqlEngine.Identifier(match.Groups["db"].Value);
        var disks = Disks(match.Groups["disks"].Value);
        var options = Options(match.Groups["options"].Value);
        var database = engine.Database(name);
        if (database is null)
        {
            await FailAsync(911, 16, 1, $"Database '{name}' does not exist. Make sure that the name is entered correctly.", Verb, cancellationToken);
            return;
        }

        if (!engine.Permissions.MayBackup(Login, name))
        {
            await FailAsync(262, 14, 1, $"BACKUP DATABASE permission denied in database '{name}'.", Verb, cancellationToken);
            return;
        }

        var compress = options.ContainsKey("COMPRESSION");
        if (compress && (Profile.EngineEdition == 4 || Profile.Edition.Contains("Web", StringComparison.OrdinalIgnoreCase)))
        {
            await FailAsync(1844, 16, 1, $"BACKUP DATABASE WITH COMPRESSION is not supported on {Profile.Edition}.", Verb, cancellationToken);
            return;
        }

        var targets = new List<string>();
        foreach (var disk in disks)
        {
            var target = engine.Writable(disk);
            if (target is null)
            {
                await FailAsync(3201, 16, 1, $"Cannot open backup device '{disk}'. Operating system error 5(Access is denied.).", Verb, cancellationToken);
                return;
            }

            if (!Directory.Exists(Path.GetDirectoryName(target)))
            {
                await FailAsync(3201, 16, 1, $"Cannot open backup device '{disk}'. Operating system error 3(The system cannot find the path specified.).", Verb, cancellationToken);
                return;
            }

            targets.Add(target);
        }

        // A scenario's fault strikes the backup of the database it protects, not prepare's probe of another one.
        var fault = string.Equals(database.Name, Profile.DatabaseName, StringComparison.OrdinalIgnoreCase) ? Profile.Fault : SandboxSqlFault.None;
        var stats = StatsOf(options);
        var started = time.GetTimestamp();
        var startDate = time.GetUtcNow().UtcDateTime;
        var dataBytes = database.Files.Sum(f => f.UsedBytes);
        var chunks = (dataBytes + SandboxBackupMedia.ChunkBytes - 1) / SandboxBackupMedia.ChunkBytes;
        var available = engine.AvailableBytes;
        var header = new SandboxBackupHeader
        {
            Database = database.Name,
            BackupName = options.GetValueOrDefault("NAME") ?? string.Empty,
            Description = options.GetValueOrDefault("DESCRIPTION"),
            ServerName = Profile.ServerName,
            Collation = database.Collation,
            RecoveryModel = database.RecoveryModel,
            CopyOnly = options.ContainsKey("COPY_ONLY"),
            Checksums = options.ContainsKey("CHECKSUM") || compress,
            Compressed = compress,
            FirstLsn = engine.NextLsn(),
            StartDate = startDate,
            MediaSetId = Guid.NewGuid(),
            BackupSetId = Guid.NewGuid(),
            FamilyCount = targets.Count,
            DataBytes = dataBytes,
            Files = database.Files,
            SoftwareVersion = Profile.ProductVersion,
            HasMasterKey = database.HasMasterKey,
            MasterKeyEncryptedByServer = database.MasterKeyEncryptedByServer,
        };

        var streams = new List<FileStream>();
        try
        {
            for (var i = 0; i < targets.Count; i++)
            {
                var stream = new FileStream(targets[i], FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
                streams.Add(stream);
                SandboxBackupMedia.WriteHeader(stream, header with { FamilySequence = i + 1, FamilyId = Guid.NewGuid() });
            }

            long written = targets.Count * (long)SandboxBackupMedia.HeaderRegion;
            var nextPercent = stats ?? int.MaxValue;
            for (long chunk = 0; chunk < chunks; chunk++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = (int)Math.Min(SandboxBackupMedia.ChunkBytes, dataBytes - (chunk * SandboxBackupMedia.ChunkBytes));
                var encoded = SandboxBackupMedia.EncodeChunk(SandboxBackupMedia.DataChunk(chunk, length), compress);
                if (written + encoded.Length > available)
                {
                    var target = disks[(int)(chunk % targets.Count)];
                    await FailAsync(3202, 16, 1, $"Write on '{target}' failed: 112(There is not enough space on the disk.)", Verb, cancellationToken);
                    return;
                }

                await streams[(int)(chunk % targets.Count)].WriteAsync(encoded, cancellationToken);
                written += encoded.Length;
                var percent = (int)((chunk + 1) * 100 / chunks);
                if (fault == SandboxSqlFault.DiskFullMidBackup && percent >= 50)
                {
                    await FlushAllAsync(streams);
                    await FailAsync(3202, 16, 1, $"Write on '{disks[(int)(chunk % targets.Count)]}' failed: 112(There is not enough space on the disk.)", Verb, cancellationToken);
                    return;
                }

                if (fault == SandboxSqlFault.DropConnectionMidBackup && percent >= 40)
                {
                    await FlushAllAsync(streams);
                    throw new SqlConnectionDroppedException("sandbox scenario connection-drop: socket closed mid-backup");
                }

                while (stats is { } step && percent >= nextPercent && nextPercent <= 100)
                {
                    await response.SendInfoAsync(3211, 1, 0, $"{nextPercent} percent processed.", cancellationToken);
                    nextPercent += step;
                }

                if (Profile.DelayPerChunk > TimeSpan.Zero)
                {
                    await Task.Delay(Profile.DelayPerChunk, time, cancellationToken);
                }
            }

            var lastLsn = engine.NextLsn();
            var finishDate = time.GetUtcNow().UtcDateTime;
            var storedBytes = streams.Sum(x => x.Length);
            var final = header with
            {
                Complete = true,
                LastLsn = lastLsn,
                CheckpointLsn = header.FirstLsn,
                DatabaseBackupLsn = 0,
                FinishDate = finishDate,
                BackupSize = dataBytes + (targets.Count * (long)SandboxBackupMedia.HeaderRegion),
                // Like SQL Server: an uncompressed set reports its backup size here too.
                CompressedBackupSize = compress ? storedBytes : dataBytes + (targets.Count * (long)SandboxBackupMedia.HeaderRegion),
            };
            for (var i = 0; i < streams.Count; i++)
            {
                streams[i].Seek(0, SeekOrigin.End);
                SandboxBackupMedia.WriteEnd(streams[i]);
                var family = SandboxBackupMedia.ReadHeader(streams[i])!;
                SandboxBackupMedia.WriteHeader(streams[i], final with { FamilySequence = family.FamilySequence, FamilyId = family.FamilyId });
            }

            await FlushAllAsync(streams);
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }

            streams.Clear();
            if (fault != SandboxSqlFault.NoMsdbHistory)
            {
                engine.RecordBackup(id => new MsdbBackupSet(id, header.MediaSetId, final.BackupName, final.Description ?? string.Empty, database.Name, final.CopyOnly, final.Checksums,
                    false, final.FirstLsn, final.LastLsn, final.CheckpointLsn, final.DatabaseBackupLsn, final.BackupSize, final.CompressedBackupSize, startDate, finishDate, disks));
            }

            if (fault == SandboxSqlFault.DeleteBackupAfterWrite)
            {
                File.Delete(targets[0]);
            }

            if (fault == SandboxSqlFault.CorruptBackupAfterWrite)
            {
                Damage(targets[0]);
            }

            var pages = dataBytes / 8192;
            foreach (var file in database.Files)
            {
                await response.SendInfoAsync(4035, 1, 0, $"Processed {file.UsedBytes / 8192} pages for database '{database.Name}', file '{file.LogicalName}' on file 1.", cancellationToken);
            }

            var seconds = Math.Max(0.001, time.GetElapsedTime(started).TotalSeconds);
            await response.SendInfoAsync(3014, 1, 0, string.Create(CultureInfo.InvariantCulture,
                $"BACKUP DATABASE successfully processed {pages} pages in {seconds:0.000} seconds ({dataBytes / 1048576.0 / seconds:0.000} MB/sec)."), cancellationToken);
            await response.SendDoneAsync(null, cancellationToken);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public async Task RestoreAsync(string text, CancellationToken cancellationToken)
    {
        var match = RestorePattern().Match(text);
        if (!match.Success)
        {
            throw new SqlErrorException(102, 15, 1, "Incorrect syntax near 'RESTORE'.");
        }

        var kindText = match.Groups["kind"].Value;
        var kind = kindText.ToUpperInvariant();
        var verb = kind switch
        {
            "VERIFYONLY" => "VERIFY DATABASE",
            "HEADERONLY" => "RESTORE HEADERONLY",
            "FILELISTONLY" => "RESTORE FILELIST",
            _ => "RESTORE DATABASE",
        };
        var disks = Disks(match.Groups["disks"].Value);
        var options = match.Groups["options"].Success ? match.Groups["options"].Value : string.Empty;
        if (!engine.Permissions.MayCreateDatabase(Login))
        {
            if (kind.StartsWith("DATABASE", StringComparison.Ordinal) && engine.Database(SandboxSqlEngine.Identifier(kindText[8..])) is null)
            {
                // RESTORE of a database that does not exist needs CREATE DATABASE (RESTORE, Permissions): SQL Server refuses
                // it as it refuses CREATE DATABASE itself, in master.
                await FailAsync(262, 14, 1, "CREATE DATABASE permission denied in database 'master'.", verb, cancellationToken);
                return;
            }

            // VERIFYONLY / HEADERONLY / FILELISTONLY need CREATE DATABASE too. UNCONFIRMED number: Microsoft's pages name the
            // permission, not the error; 3110 "User does not have permission to RESTORE database '…'." is the RESTORE family's own.
            var target = kind.StartsWith("DATABASE", StringComparison.Ordinal) ? SandboxSqlEngine.Identifier(kindText[8..]) : "master";
            await FailAsync(3110, 14, 1, $"User does not have permission to RESTORE database '{target}'.", verb, cancellationToken);
            return;
        }

        var families = await OpenFamiliesAsync(disks, verb, cancellationToken);
        if (families is null)
        {
            return;
        }

        var header = families[0].Header;
        switch (kind)
        {
            case "HEADERONLY":
                await response.SendResultSetAsync(SandboxRestoreColumns.HeaderOnly, [SandboxRestoreColumns.HeaderRow(header, Profile)], cancellationToken);
                return;
            case "FILELISTONLY":
                await response.SendResultSetAsync(SandboxRestoreColumns.FileListOnly, header.Files.Select(f => SandboxRestoreColumns.FileListRow(f, header)), cancellationToken);
                return;
            case "VERIFYONLY":
                if (options.Contains("CHECKSUM", StringComparison.OrdinalIgnoreCase) && !options.Contains("NO_CHECKSUM", StringComparison.OrdinalIgnoreCase) && !header.Checksums)
                {
                    await FailAsync(3187, 16, 1, "RESTORE WITH CHECKSUM cannot be specified because the backup set does not contain checksum information.", verb, cancellationToken);
                    return;
                }

                if (await ReadAllAsync(families, header, "VERIFY", StatsOf(Options(options)), cancellationToken))
                {
                    await response.SendInfoAsync(3262, 1, 0, "The backup set on file 1 is valid.", cancellationToken);
                    await response.SendDoneAsync(null, cancellationToken);
                }

                return;
            default:
                await RestoreDatabaseAsync(SandboxSqlEngine.Identifier(kindText[8..]), families, header, options, cancellationToken);
                return;
        }
    }

    private async Task RestoreDatabaseAsync(string name, IReadOnlyList<OpenFamily> families, SandboxBackupHeader header, string options, CancellationToken cancellationToken)
    {
        const string Verb = "RESTORE DATABASE";
        if (header.SoftwareVersion is { } written && Version.Parse(written) is var backupVersion && Version.Parse(Profile.ProductVersion) is var serverVersion
            && (backupVersion.Major, backupVersion.Minor).CompareTo((serverVersion.Major, serverVersion.Minor)) > 0)
        {
            // A backup never restores on an older SQL Server (RESTORE, Compatibility support): refused while planning, nothing created.
            await FailAsync(3169, 16, 1, string.Create(CultureInfo.InvariantCulture,
                $"The database was backed up on a server running version {backupVersion.Major}.{backupVersion.Minor:00}.{backupVersion.Build}. That version is incompatible with this server, which is running version {serverVersion.Major}.{serverVersion.Minor:00}.{serverVersion.Build}. Either restore the database on a server that supports the backup, or use a backup that is compatible with this server."),
                Verb, cancellationToken);
            return;
        }

        if (engine.Database(name) is not null)
        {
            await FailAsync(1801, 16, 3, $"Database '{name}' already exists. Choose a different database name.", Verb, cancellationToken);
            return;
        }

        var moves = MovePattern().Matches(options).ToDictionary(m => SandboxSqlEngine.SqlLiteral(m.Groups["logical"].Value), m => SandboxSqlEngine.SqlLiteral(m.Groups["path"].Value), StringComparer.OrdinalIgnoreCase);
        var files = new List<SandboxDatabaseFile>();
        foreach (var file in header.Files)
        {
            var path = moves.GetValueOrDefault(file.LogicalName) ?? file.PhysicalName;
            var owner = engine.Databases().FirstOrDefault(d => d.Files.Any(f => string.Equals(f.PhysicalName, Path.GetFullPath(path), StringComparison.OrdinalIgnoreCase)));
            if (owner is not null)
            {
                await FailAsync(1834, 16, 1, $"The file '{path}' cannot be overwritten.  It is being used by database '{owner.Name}'.", Verb, cancellationToken);
                return;
            }

            var target = engine.Writable(path);
            if (target is null || !Directory.Exists(Path.GetDirectoryName(target)))
            {
                // Outside the root is where the service account has no rights (5); under it, a missing folder (3).
                var osError = target is null ? "5(Access is denied.)" : "3(The system cannot find the path specified.)";
                await FailAsync(5133, 16, 1, $"Directory lookup for the file \"{path}\" failed with the operating system error {osError}.", Verb, cancellationToken);
                return;
            }

            files.Add(file with { PhysicalName = target });
        }

        // Planning checks the volume's free space for the files at their full allocated size before anything is created.
        var needed = files.Sum(f => f.SizeBytes);
        var available = engine.AvailableBytes;
        if (needed > available)
        {
            await response.SendErrorAsync(3257, 1, 16, string.Create(CultureInfo.InvariantCulture,
                $"There is insufficient free space on disk volume '{engine.VolumeMountPoint}' to create the database. The database requires {needed} additional free bytes, while only {available} bytes are available."), cancellationToken);
            await FailAsync(3119, 16, 1, "Problems were identified while planning for the RESTORE statement. Previous messages provide details.", Verb, cancellationToken);
            return;
        }

        // Like SQL Server: the database and its files exist from the start of the copy, RESTORING until it ends; a
        // RESTORE that fails or is cancelled midway leaves it so, in sys.databases, until someone drops it.
        var restoring = new SandboxDatabase(name, header.Collation, header.RecoveryModel, files, SandboxDatabase.Restoring)
        {
            HasMasterKey = header.HasMasterKey,
            MasterKeyEncryptedByServer = header.MasterKeyEncryptedByServer,
        };
        if (!engine.TryAddDatabase(restoring))
        {
            // Another connection restored the same name meanwhile: its files are not ours to touch.
            await FailAsync(1801, 16, 3, $"Database '{name}' already exists. Choose a different database name.", Verb, cancellationToken);
            return;
        }

        engine.Permissions.Created(name, Login);
        foreach (var file in files)
        {
            SandboxSqlEngine.CreateSparse(file.PhysicalName, file.SizeBytes);
        }

        var started = time.GetTimestamp();
        if (!await ReadAllAsync(families, header, "RESTORE", StatsOf(Options(options)), cancellationToken))
        {
            return;
        }

        engine.ReplaceDatabase(restoring with { State = SandboxDatabase.Online });

        foreach (var file in files)
        {
            await response.SendInfoAsync(4035, 1, 0, $"Processed {file.UsedBytes / 8192} pages for database '{name}', file '{file.LogicalName}' on file 1.", cancellationToken);
        }

        var seconds = Math.Max(0.001, time.GetElapsedTime(started).TotalSeconds);
        await response.SendInfoAsync(3014, 1, 0, string.Create(CultureInfo.InvariantCulture,
            $"RESTORE DATABASE successfully processed {header.DataBytes / 8192} pages in {seconds:0.000} seconds ({header.DataBytes / 1048576.0 / seconds:0.000} MB/sec)."), cancellationToken);
        await response.SendDoneAsync(null, cancellationToken);
    }

    private sealed record OpenFamily(string Disk, string Path, SandboxBackupHeader Header);

    private async Task<IReadOnlyList<OpenFamily>?> OpenFamiliesAsync(IReadOnlyList<string> disks, string verb, CancellationToken cancellationToken)
    {
        var families = new List<OpenFamily>();
        foreach (var disk in disks)
        {
            var (path, osError) = engine.Readable(disk);
            if (path is null || !File.Exists(path))
            {
                await FailAsync(3201, 16, 2, $"Cannot open backup device '{disk}'. Operating system error {(path is null ? osError : "2(The system cannot find the file specified.)")}.", verb, cancellationToken);
                return null;
            }

            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var header = SandboxBackupMedia.ReadHeader(stream);
            if (header is null || !header.Complete)
            {
                await FailAsync(3241, 16, 0, $"The media family on device '{disk}' is incorrectly formed. SQL Server cannot process this media family.", verb, cancellationToken);
                return null;
            }

            families.Add(new OpenFamily(disk, path, header));
        }

        var first = families[0].Header;
        if (families.Any(f => f.Header.MediaSetId != first.MediaSetId))
        {
            await FailAsync(3231, 16, 1, $"The media loaded on \"{disks[0]}\" is formatted to support {first.FamilyCount} media families, but the other devices belong to another media set.", verb, cancellationToken);
            return null;
        }

        if (families.Select(f => f.Header.FamilySequence).Distinct().Count() < first.FamilyCount)
        {
            await FailAsync(3132, 16, 1, $"The media set has {first.FamilyCount} media families but only {families.Select(f => f.Header.FamilySequence).Distinct().Count()} are provided. All members must be provided.", verb, cancellationToken);
            return null;
        }

        return [.. families.OrderBy(f => f.Header.FamilySequence)];
    }

    /// <summary>BACKUP and RESTORE (VERIFYONLY or DATABASE) report "N percent processed." only WITH STATS [= n]
    /// (n omitted: 10), as SQL Server does; null = no progress messages.</summary>
    private static int? StatsOf(Dictionary<string, string?> options) =>
        !options.TryGetValue("STATS", out var text) ? null
        : int.TryParse(text, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, 100) : 10;

    /// <summary>Reads every chunk of every family in database order, checking each checksum; reports 3211 progress
    /// every <paramref name="stats"/> percent when asked.</summary>
    private async Task<bool> ReadAllAsync(IReadOnlyList<OpenFamily> families, SandboxBackupHeader header, string verb, int? stats, CancellationToken cancellationToken)
    {
        var streams = families.Select(f => new FileStream(f.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)).ToList();
        try
        {
            foreach (var stream in streams)
            {
                stream.Position = SandboxBackupMedia.HeaderRegion;
            }

            var chunks = (header.DataBytes + SandboxBackupMedia.ChunkBytes - 1) / SandboxBackupMedia.ChunkBytes;
            var nextPercent = stats ?? int.MaxValue;
            for (long chunk = 0; chunk < chunks; chunk++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    // Reading checks the chunk's checksum; the data itself is not needed.
                    if (SandboxBackupMedia.ReadChunk(streams[(int)(chunk % streams.Count)], header.Compressed, chunk) is null)
                    {
                        throw new InvalidDataException("the backup set ends early");
                    }
                }
                catch (ChunkDamagedException damaged)
                {
                    await FailAsync(3183, 16, 1, $"RESTORE detected an error on page (1:{damaged.Page}) in database \"{header.Database}\" as read from the backup set.", verb == "VERIFY" ? "VERIFY DATABASE" : "RESTORE DATABASE", cancellationToken);
                    return false;
                }
                catch (InvalidDataException)
                {
                    await FailAsync(3203, 16, 1, $"Read on \"{families[(int)(chunk % streams.Count)].Disk}\" failed: 38(Reached the end of the file.)", verb == "VERIFY" ? "VERIFY DATABASE" : "RESTORE DATABASE", cancellationToken);
                    return false;
                }

                var percent = (int)((chunk + 1) * 100 / chunks);
                if (Profile.Fault == SandboxSqlFault.FailRestoreMidway && verb == "RESTORE" && percent >= 50)
                {
                    await FailAsync(3203, 16, 1, $"Read on \"{families[(int)(chunk % streams.Count)].Disk}\" failed: 23(Data error (cyclic redundancy check).)", "RESTORE DATABASE", cancellationToken);
                    return false;
                }

                while (stats is { } step && percent >= nextPercent && nextPercent <= 100)
                {
                    await response.SendInfoAsync(3211, 1, 0, $"{nextPercent} percent processed.", cancellationToken);
                    nextPercent += step;
                }

                if (Profile.DelayPerChunk > TimeSpan.Zero && chunk % 4 == 0)
                {
                    await Task.Delay(Profile.DelayPerChunk, time, cancellationToken);
                }
            }

            return true;
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Storage damage after the write: bytes in the middle of the data region change, the header does not.</summary>
    private static void Damage(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var middle = SandboxBackupMedia.HeaderRegion + ((stream.Length - SandboxBackupMedia.HeaderRegion) / 2);
        stream.Position = middle;
        stream.Write([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0xFF, 0x13, 0x37]);
    }

    private static async Task FlushAllAsync(List<FileStream> streams)
    {
        foreach (var stream in streams)
        {
            await stream.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>The error, then "&lt;verb&gt; is terminating abnormally." (3013), as SQL Server ends every failed BACKUP/RESTORE.</summary>
    private async Task FailAsync(int number, byte severityClass, byte state, string message, string verb, CancellationToken cancellationToken)
    {
        await response.SendErrorAsync(number, state, severityClass, message, cancellationToken);
        throw new SqlErrorException(3013, 16, 1, $"{verb} is terminating abnormally.");
    }

    private static List<string> Disks(string list) =>
        DiskPattern().Matches(list).Select(m => SandboxSqlEngine.SqlLiteral(m.Groups[1].Value)).ToList();

    private static Dictionary<string, string?> Options(string list)
    {
        var options = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in OptionPattern().Matches(list))
        {
            options[m.Groups["name"].Value] = m.Groups["value"].Success ? SandboxSqlEngine.SqlLiteral(m.Groups["value"].Value) : null;
        }

        return options;
    }

    [GeneratedRegex(@"^BACKUP DATABASE (?<db>\[(?:[^\]]|\]\])+\]|\w+) TO (?<disks>DISK = " + SandboxSqlEngine.StringLiteral + @"(?: ?, ?DISK = " + SandboxSqlEngine.StringLiteral + @")*)(?: WITH (?<options>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex BackupPattern();

    [GeneratedRegex(@"^RESTORE (?<kind>VERIFYONLY|HEADERONLY|FILELISTONLY|DATABASE (?:\[(?:[^\]]|\]\])+\]|\w+)) FROM (?<disks>DISK = " + SandboxSqlEngine.StringLiteral + @"(?: ?, ?DISK = " + SandboxSqlEngine.StringLiteral + @")*)(?: WITH (?<options>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex RestorePattern();

    [GeneratedRegex(@"DISK = (" + SandboxSqlEngine.StringLiteral + ")", RegexOptions.IgnoreCase)]
    private static partial Regex DiskPattern();

    [GeneratedRegex(@"(?:^|, ?)(?<name>[A-Z_]+)(?: = (?<value>" + SandboxSqlEngine.StringLiteral + @"|\d+))?", RegexOptions.IgnoreCase)]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"MOVE (?<logical>" + SandboxSqlEngine.StringLiteral + @") TO (?<path>" + SandboxSqlEngine.StringLiteral + ")", RegexOptions.IgnoreCase)]
    private static partial Regex MovePattern();
}
