using System.Globalization;
using System.IO.Abstractions;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>What verification proved: the level reached (none | verifyonly | restore), the hashed files and the header.</summary>
public sealed record BackupVerificationOutcome(VerifiedLevel Level, IReadOnlyList<BackupFile> Files, BackupHeader? Header, IReadOnlyList<BackupFileListEntry> FileList);

/// <summary>One row of RESTORE FILELISTONLY: what a restore elsewhere must place.</summary>
public sealed record BackupFileListEntry(string LogicalName, string PhysicalName, string Type, long SizeBytes)
{
    public static BackupFileListEntry From(SqlRow row) =>
        new(row.String("LogicalName") ?? "?", row.String("PhysicalName") ?? "?", row.String("Type") ?? "?", row.Int64("Size") ?? 0);

    public bool IsLog => string.Equals(Type, "L", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where this file of the test-restore copy <paramref name="copy"/> goes: its own name in <paramref name="folder"/>.</summary>
    public (string LogicalName, string PhysicalName) MoveFor(string copy, string folder) =>
        (LogicalName, ServerPath.Join(folder, $"{copy}_{LogicalName}{(IsLog ? ".ldf" : ".mdf")}"));
}

/// <summary>
/// Positive evidence that the backup restores (docs/facts/sql-backup.md#verification): VERIFYONLY WITH CHECKSUM must say "valid"
/// (3262), HEADERONLY/FILELISTONLY must describe the backup we asked for, msdb must record the same files and LSNs,
/// every file gets a SHA-256, and with verify: restore a copy is restored, CHECKDB'd and dropped (<see cref="TestRestore"/>,
/// here or on <see cref="RestoreServer"/>). Absence of an error is never taken as success.
/// </summary>
internal sealed class BackupVerification(
    ISqlConnector connector,
    ISqlSession session,
    IFileSystem fileSystem,
    BackupPreparationOptions options,
    string source,
    BackupStepResults results,
    List<ActionRecord> actions,
    IProgress<BackupProgress>? progress,
    TimeProvider time)
{
    /// <summary>The other instance to test-restore on (options.RestoreServer); null = this session's instance.</summary>
    public ISqlConnector? RestoreServer { get; init; }

    public async Task<BackupVerificationOutcome> RunAsync(BackupPreflight preflight, BackupStatement statement, CancellationToken cancellationToken)
    {
        var files = statement.Files;
        var verifyOnly = await VerifyOnlyAsync(files, cancellationToken).ConfigureAwait(false);
        var (header, fileList) = await HeaderAsync(preflight, files, cancellationToken).ConfigureAwait(false);
        var history = await HistoryAsync(statement, header, cancellationToken).ConfigureAwait(false);
        var hashed = await HashAsync(files, cancellationToken).ConfigureAwait(false);
        var restored = options.Verify == VerifyLevel.Restore
            ? RestoreServer is not null && options.RestoreServer is { } name
                ? await new RestoreOnAnotherServer(RestoreServer, name, session, options, source, results, actions, progress, time)
                    .RunAsync(preflight, files, cancellationToken).ConfigureAwait(false)
                : await TestRestoreAsync(preflight, files, fileList, cancellationToken).ConfigureAwait(false)
            : Skip(BackupCheckIds.TestRestore, "not asked: policies.verify is verifyonly (use --verify restore for a test restore with DBCC CHECKDB)");

        var verified = verifyOnly && header is not null && history && hashed.Status != CheckStatus.Unmet;
        var level = !verified ? VerifiedLevel.None : restored ? VerifiedLevel.Restore : VerifiedLevel.Verifyonly;
        actions.Add(new ActionRecord(ActionKind.Verify, files[0], level == VerifiedLevel.None ? ActionOutcome.Failed : ActionOutcome.Done,
            level == VerifiedLevel.None ? "the backup is NOT verified; see the backup.* checks" : $"verified ({WireNames.Of(level)})"));
        return new BackupVerificationOutcome(level, hashed.Files, header, fileList);
    }

    private bool Skip(string id, string reason)
    {
        results.Add(id, CheckOutcome.Skipped(reason));
        return false;
    }

    private async Task<bool> VerifyOnlyAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        progress?.Report(new BackupProgress("verify", 0, "RESTORE VERIFYONLY … WITH CHECKSUM"));
        try
        {
            var execution = await session.ExecuteAsync(BackupQueries.VerifyOnly(files, options.StatsPercent), options.StatementTimeout,
                m => BackupPreparation.ReportPercent(progress, "verify", m), cancellationToken).ConfigureAwait(false);
            var valid = execution.Messages.FirstOrDefault(m => m.Number == 3262 || m.Text.Contains("is valid", StringComparison.OrdinalIgnoreCase));
            if (valid is null)
            {
                results.Add(BackupCheckIds.VerifyOnly, CheckOutcome.Unmet(
                    "RESTORE VERIFYONLY ended without saying the backup set is valid; the backup is not trusted.",
                    "Take the backup again; if this repeats, check the backup folder's storage.",
                    BackupPreparation.Messages(source, execution.Messages)));
                return false;
            }

            results.Add(BackupCheckIds.VerifyOnly, CheckOutcome.Met("Every file was read back and every page checksum matched.", new Evidence(source + ": RESTORE VERIFYONLY", valid.ToString())));
            return true;
        }
        catch (SqlSessionException ex)
        {
            results.Add(BackupCheckIds.VerifyOnly, CheckOutcome.Unmet(
                "RESTORE VERIFYONLY found the backup damaged or unreadable: " + ex.Message,
                "Do not use this backup. Take it again (prepare) and check the storage of the backup folder.",
                BackupPreparation.Messages(source, ex.Messages)));
            return false;
        }
    }

    private async Task<(BackupHeader? Header, IReadOnlyList<BackupFileListEntry> FileList)> HeaderAsync(BackupPreflight preflight, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        try
        {
            var headerRows = await session.QueryAsync(BackupQueries.HeaderOnly(files), null, cancellationToken).ConfigureAwait(false);
            var verdict = BackupHeaderValidator.Validate(headerRows, preflight.Database);
            var fileRows = await session.QueryAsync(BackupQueries.FileListOnly(files), null, cancellationToken).ConfigureAwait(false);
            var fileList = fileRows.Select(BackupFileListEntry.From).ToList();
            var problems = verdict.Problems.ToList();
            foreach (var file in preflight.Files.Where(f => fileList.All(e => !string.Equals(e.LogicalName, f.LogicalName, StringComparison.OrdinalIgnoreCase))))
            {
                problems.Add($"FILELISTONLY lacks the database file '{file.LogicalName}'");
            }

            var listEvidence = new Evidence(source + ": RESTORE FILELISTONLY",
                string.Join("; ", fileList.Select(f => $"{f.LogicalName} ({f.Type}) {f.PhysicalName} {Bytes.Format(f.SizeBytes)}")));
            if (problems.Count > 0 || verdict.Header is null)
            {
                results.Add(BackupCheckIds.Header, CheckOutcome.Unmet(
                    "The backup's header is not the one orchprep asked for: " + string.Join("; ", problems) + ".",
                    "Do not use this backup; take it again.",
                    listEvidence));
                return (null, fileList);
            }

            var h = verdict.Header;
            results.Add(BackupCheckIds.Header, CheckOutcome.Met(
                $"A full, copy-only backup of [{preflight.Database}] with checksums, at position 1.",
                new Evidence(source + ": RESTORE HEADERONLY", string.Create(CultureInfo.InvariantCulture,
                    $"FirstLSN {h.FirstLsn}, LastLSN {h.LastLsn}, CheckpointLSN {h.CheckpointLsn}, DatabaseBackupLSN {h.DatabaseBackupLsn}, BackupSize {h.BackupSize}, CompressedBackupSize {h.CompressedBackupSize?.ToString(CultureInfo.InvariantCulture) ?? "NULL"}, finished {h.FinishedAt:yyyy-MM-dd HH:mm:ss}")),
                listEvidence));
            return (h, fileList);
        }
        catch (SqlSessionException ex)
        {
            results.Add(BackupCheckIds.Header, CheckOutcome.Unmet("RESTORE HEADERONLY/FILELISTONLY failed: " + ex.Message, "Do not use this backup; take it again.", BackupPreparation.Messages(source, ex.Messages)));
            return (null, []);
        }
    }

    private async Task<bool> HistoryAsync(BackupStatement statement, BackupHeader? header, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await session.QueryAsync(BackupQueries.HistoryOfBackupSet,
                new Dictionary<string, object?> { ["@database"] = statement.Database, ["@name"] = statement.Name }, cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();
            var newest = rows.Count > 0 ? rows[0].Int64("backup_set_id") : null;
            var set = rows.Where(r => r.Int64("backup_set_id") == newest).ToList();
            if (set.Count == 0)
            {
                problems.Add($"msdb.dbo.backupset has no row named '{statement.Name}'");
            }
            else
            {
                var devices = set.Select(r => r.String("physical_device_name") ?? string.Empty).ToHashSet(StringComparer.OrdinalIgnoreCase);
                if (!devices.SetEquals(statement.Files))
                {
                    problems.Add($"msdb lists the files {string.Join(", ", devices)}, not {string.Join(", ", statement.Files)}");
                }

                var row = set[0];
                if (!row.Flag("is_copy_only"))
                {
                    problems.Add("msdb says the backup is not copy-only");
                }

                if (!row.Flag("has_backup_checksums"))
                {
                    problems.Add("msdb says the backup has no checksums");
                }

                if (row.Flag("is_damaged"))
                {
                    problems.Add("msdb marks the backup damaged");
                }

                if (header is not null && (row.String("first_lsn") != header.FirstLsn || row.String("last_lsn") != header.LastLsn))
                {
                    problems.Add($"msdb LSNs {row.String("first_lsn")}–{row.String("last_lsn")} differ from the header's {header.FirstLsn}–{header.LastLsn}");
                }
            }

            var evidence = new Evidence(source + ": msdb.dbo.backupset", set.Count == 0 ? "no row" : string.Create(CultureInfo.InvariantCulture,
                $"backup_set_id {newest}, {set.Count} media famil{(set.Count == 1 ? "y" : "ies")}, LSN {set[0].String("first_lsn")}–{set[0].String("last_lsn")}"));
            if (problems.Count > 0)
            {
                results.Add(BackupCheckIds.MsdbHistory, CheckOutcome.Unmet("msdb history does not match the backup: " + string.Join("; ", problems) + ".", "Do not use this backup; take it again.", evidence));
                return false;
            }

            results.Add(BackupCheckIds.MsdbHistory, CheckOutcome.Met("msdb records this backup set with the same files, flags and LSNs.", evidence));
            return true;
        }
        catch (SqlSessionException ex)
        {
            results.Add(BackupCheckIds.MsdbHistory, CheckOutcome.Unmet("Reading msdb backup history failed: " + ex.Message, "Grant the login read access to msdb.dbo.backupset and backupmediafamily (db_backupoperator in msdb includes it).", BackupPreparation.Messages(source, ex.Messages)));
            return false;
        }
    }

    private async Task<(CheckStatus Status, IReadOnlyList<BackupFile> Files)> HashAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var hasher = new FileHasher(fileSystem);
        var hashed = new List<BackupFile>();
        var unreachable = new List<string>();
        var evidence = new List<Evidence>();
        foreach (var file in files)
        {
            if (!fileSystem.File.Exists(file))
            {
                unreachable.Add(file);
                hashed.Add(new BackupFile(file, 0, string.Empty));
                continue;
            }

            var length = fileSystem.FileInfo.New(file).Length;
            var lastPercent = -1;
            var bytes = new Progress<long>(done =>
            {
                var percent = length == 0 ? 100 : (int)(done * 100 / length);
                if (percent / 10 != lastPercent / 10)
                {
                    lastPercent = percent;
                    progress?.Report(new BackupProgress("sha256", percent, $"SHA-256 {fileSystem.Path.GetFileName(file)}"));
                }
            });
            try
            {
                var sha = await hasher.Sha256Async(file, bytes, cancellationToken).ConfigureAwait(false);
                var checksumFile = hasher.WriteChecksumFile(file, sha);
                hashed.Add(new BackupFile(file, length, sha));
                evidence.Add(new Evidence(checksumFile, $"{sha}  {Bytes.Format(length)}"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreachable.Add($"{file} ({ex.Message})");
                hashed.Add(new BackupFile(file, 0, string.Empty));
            }
        }

        if (unreachable.Count > 0)
        {
            results.Add(BackupCheckIds.Sha256, CheckOutcome.Warning(
                $"This runner cannot read {unreachable.Count} backup file(s), so their SHA-256 was not computed: {string.Join(", ", unreachable)}.",
                "Back up to a share the runner can read too (e.g. \\\\backup01\\orch), or hash the files on the SQL Server with Get-FileHash -Algorithm SHA256.",
                [.. evidence]));
            return (CheckStatus.Warning, hashed);
        }

        actions.Add(new ActionRecord(ActionKind.Verify, files[0], ActionOutcome.Done, $"SHA-256 written beside {files.Count} file(s) (*.sha256, sha256sum format)"));
        results.Add(BackupCheckIds.Sha256, CheckOutcome.Met($"SHA-256 of {files.Count} file(s) written beside them; check later with `sha256sum -c`.", [.. evidence]));
        return (CheckStatus.Met, hashed);
    }

    /// <summary>The test restore on this session's instance: the copy's files move next to the source's (FILELISTONLY).</summary>
    private async Task<bool> TestRestoreAsync(BackupPreflight preflight, IReadOnlyList<string> files, IReadOnlyList<BackupFileListEntry> fileList, CancellationToken cancellationToken)
    {
        if (fileList.Count == 0)
        {
            return Skip(BackupCheckIds.TestRestore, "not run: the file list of the backup could not be read");
        }

        return await new TestRestore(session, new TestRestoreSite(connector, source, null), options, results, actions, progress, time)
            .RunAsync(preflight.Database, files, (copy, _) => Task.FromResult<IReadOnlyList<(string LogicalName, string PhysicalName)>?>(
                [.. fileList.Select(f => f.MoveFor(copy, ServerPath.DirectoryOf(f.PhysicalName)))]),
                [], cancellationToken).ConfigureAwait(false);
    }
}
