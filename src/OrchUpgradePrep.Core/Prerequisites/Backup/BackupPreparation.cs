using System.Diagnostics;
using System.Globalization;
using System.IO.Abstractions;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// prepare's backup step: preflight (permissions, free space, compression) → BACKUP DATABASE … COPY_ONLY, CHECKSUM
/// with live STATS progress → verification (<see cref="BackupVerification"/>) → service master key → retention.
/// Nothing is written when the preflight fails; a failed or cancelled BACKUP never yields a file reported as good.
/// </summary>
public sealed partial class BackupPreparation
{
    private readonly ISqlConnector _sql;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly BackupPreparationOptions _options;
    private readonly ISqlConnector? _restoreServer;

    /// <param name="restoreServer">The connector of <see cref="BackupPreparationOptions.RestoreServer"/>; null = test restores run on <paramref name="sql"/>'s instance.</param>
    public BackupPreparation(ISqlConnector sql, IFileSystem fileSystem, TimeProvider time, BackupPreparationOptions options, ISqlConnector? restoreServer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RestoreServer is not null && restoreServer is null)
        {
            throw new ArgumentException("a restore server is named but no connector to it is given", nameof(restoreServer));
        }

        _restoreServer = restoreServer;
        _sql = sql;
        _fileSystem = fileSystem;
        _time = time;
        _options = options;
    }

    public async Task<BackupPreparationResult> RunAsync(IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new BackupStepResults(_options.EnvironmentName, _time);
        var actions = new List<ActionRecord>();
        var source = _sql.Description;
        var database = _options.Sql.Database;

        ISqlSession session;
        BackupPreflight preflight;
        try
        {
            session = await _sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex)
        {
            results.Add(BackupCheckIds.Taken, CheckOutcome.Error($"SQL Server: {ex.Message}", Messages(source, ex.Messages)));
            actions.Add(new ActionRecord(ActionKind.Backup, database, ActionOutcome.NotStarted, "could not connect: " + ex.Message));
            results.SkipRest("not run: no backup was taken");
            return new BackupPreparationResult(results.All, actions, null, false);
        }

        await using (session.ConfigureAwait(false))
        {
            try
            {
                preflight = await BackupPreflight.ReadAsync(session, _options.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (SqlSessionException ex)
            {
                results.Add(BackupCheckIds.Taken, CheckOutcome.Error($"SQL Server: {ex.Message}", Messages(source, ex.Messages)));
                actions.Add(new ActionRecord(ActionKind.Backup, database, ActionOutcome.NotStarted, "preflight failed: " + ex.Message));
                results.SkipRest("not run: no backup was taken");
                return new BackupPreparationResult(results.All, actions, null, false);
            }

            var directory = _options.Policy.Directory;
            var permissions = results.Add(BackupCheckIds.Permissions, BackupJudgements.Permissions(preflight, _options.Verify, source));
            var freeSpace = results.Add(BackupCheckIds.FreeSpace, BackupJudgements.FreeSpace(preflight, directory, _fileSystem, source));
            var (compress, compressionProblem) = BackupJudgements.Compression(preflight, _options.Policy.Compression);
            var blockers = new List<string>();
            if (permissions.Status == CheckStatus.Unmet)
            {
                blockers.Add(permissions.Detail);
            }

            if (freeSpace.Status == CheckStatus.Unmet)
            {
                blockers.Add(freeSpace.Detail);
            }

            if (compressionProblem is not null)
            {
                blockers.Add(compressionProblem);
            }

            if (blockers.Count > 0 || directory is null)
            {
                // Fail early: nothing is written when the backup cannot succeed.
                var detail = "Not taken, nothing was written: " + string.Join(" ", blockers);
                results.Add(BackupCheckIds.Taken, CheckOutcome.Unmet(detail, "Fix the problems above (see backup.permissions and backup.free-space) and run prepare again."));
                actions.Add(new ActionRecord(ActionKind.Backup, preflight.Database, ActionOutcome.NotStarted, detail));
                results.SkipRest("not run: no backup was taken");
                return new BackupPreparationResult(results.All, actions, null, false);
            }

            // Before the long backup: the SQL Server service account (not this runner) must write and read the folder.
            var probe = results.Add(BackupCheckIds.ServiceAccountAccess,
                await new ServiceAccountProbe(session, _fileSystem, source, ServiceAccountProbe.Timeout).RunAsync(preflight.ServerName, directory, _time.GetUtcNow(), actions, cancellationToken).ConfigureAwait(false));
            if (probe.Status == CheckStatus.Unmet)
            {
                var detail = "Not taken: " + probe.Detail;
                results.Add(BackupCheckIds.Taken, CheckOutcome.Unmet(detail, "Fix the folder access (see backup.service-account-access) and run prepare again."));
                actions.Add(new ActionRecord(ActionKind.Backup, preflight.Database, ActionOutcome.NotStarted, detail));
                results.SkipRest("not run: no backup was taken");
                return new BackupPreparationResult(results.All, actions, null, false);
            }

            var takenAt = _time.GetUtcNow();
            var files = BackupFileNames.For(preflight.ServerName, preflight.Database, takenAt, _options.Policy.Stripes)
                .Select(name => ServerPath.Join(directory, name))
                .ToList();
            var backupName = $"orchprep {preflight.Database} {BackupFileNames.Stamp(takenAt)}";
            var statement = new BackupStatement
            {
                Database = preflight.Database,
                Files = files,
                Compress = compress,
                StatsPercent = _options.StatsPercent,
                Name = backupName,
                Description = $"orchprep: copy-only full backup before the Orchestrator {_options.Target.ToName()} upgrade ({_options.EnvironmentName})",
            };

            var taken = await TakeAsync(session, statement, preflight, progress, results, actions, cancellationToken).ConfigureAwait(false);
            if (taken is null)
            {
                results.SkipRest("not run: the backup was not taken");
                return new BackupPreparationResult(results.All, actions, null, cancellationToken.IsCancellationRequested);
            }

            var verification = new BackupVerification(_sql, session, _fileSystem, _options, source, results, actions, progress, _time) { RestoreServer = _restoreServer };
            BackupVerificationOutcome verified;
            try
            {
                verified = await verification.RunAsync(preflight, statement, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                actions.Add(new ActionRecord(ActionKind.Verify, files[0], ActionOutcome.Cancelled, "verification was cancelled: the backup is NOT verified; do not rely on it"));
                results.SkipRest("not run: the run was cancelled");
                return new BackupPreparationResult(results.All, actions, Summary(statement, [], null, VerifiedLevel.None), true);
            }

            // msdb would call the new backup "recent, with checksums" even when its file is damaged: in prepare the
            // verdict on the backup prerequisite is what verification proved.
            results.Add(BackupCheckIds.RecentFullVerified, verified.Level == VerifiedLevel.None
                ? CheckOutcome.Unmet("The backup just taken failed verification; msdb's history alone is no proof.", "See backup.verifyonly / backup.header / backup.msdb-history, then run prepare again.")
                : CheckOutcome.Met($"The backup just taken is verified ({WireNames.Of(verified.Level)}).", new Evidence("files", string.Join(", ", statement.Files))));

            var keyFile = await BackupServiceMasterKeyAsync(session, preflight, directory, takenAt, results, actions, cancellationToken).ConfigureAwait(false);
            var level = verified.Level;
            if (level != VerifiedLevel.None)
            {
                // The manifest is the only mark of a good set (docs/adr/0012): without it on disk retention would not
                // count the new set, so it does not run.
                if (new BackupManifest(_fileSystem).TryWrite(files[0], preflight, statement, verified, keyFile, takenAt, actions))
                {
                    await new BackupRetention(_fileSystem).ApplyAsync(directory, preflight.ServerName, preflight.Database, _options.Policy.Keep,
                        _options.Policy.RemoveUnverified, actions, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Kept, "retention skipped: the new backup's manifest could not be written, so no older backup is removed"));
                }
            }
            else
            {
                actions.Add(new ActionRecord(ActionKind.Backup, files[0], ActionOutcome.Failed, "marked failed: " + MarkFailed(files)));
                actions.Add(new ActionRecord(ActionKind.Backup, directory, ActionOutcome.Kept, "retention skipped: the new backup is not verified, so no older backup is removed"));
            }

            return new BackupPreparationResult(results.All, actions, Summary(statement, verified.Files, verified.Header, level) with
            {
                RestoredOn = level == VerifiedLevel.Restore ? _options.RestoreServer : null,
            }, false);
        }
    }

    private BackupSummary Summary(BackupStatement statement, IReadOnlyList<BackupFile> files, BackupHeader? header, VerifiedLevel verified) => new()
    {
        Files = files.Count > 0 ? files : statement.Files.Select(f => new BackupFile(f, 0, string.Empty)).ToList(),
        CopyOnly = true,
        Checksum = true,
        Compressed = statement.Compress,
        Verified = verified,
        FirstLsn = header?.FirstLsn,
        LastLsn = header?.LastLsn,
    };

    /// <summary>Runs BACKUP; returns the messages on success (3014 seen), null after any failure (recorded).</summary>
    private async Task<IReadOnlyList<SqlMessage>?> TakeAsync(
        ISqlSession session, BackupStatement statement, BackupPreflight preflight, IProgress<BackupProgress>? progress,
        BackupStepResults results, List<ActionRecord> actions, CancellationToken cancellationToken)
    {
        var target = string.Join(", ", statement.Files);
        var source = _sql.Description;
        progress?.Report(new BackupProgress("backup", 0, $"BACKUP DATABASE [{statement.Database}] to {target} ({(statement.Compress ? "compressed" : "uncompressed")}, about {Bytes.Format(preflight.EstimatedBackupBytes)})"));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var execution = await session.ExecuteAsync(
                statement.ToSql(),
                _options.StatementTimeout,
                message => ReportPercent(progress, "backup", message),
                cancellationToken).ConfigureAwait(false);
            if (!execution.Messages.Any(m => m.Number == 3014))
            {
                // No error is no proof (dbatools #6414): SQL Server ends every good backup with 3014.
                var detail = "BACKUP returned without SQL Server's success message (3014); the files are not trusted.";
                results.Add(BackupCheckIds.Taken, CheckOutcome.Unmet(detail, "Look at the SQL Server error log for this time, then run prepare again.", Messages(source, execution.Messages)));
                actions.Add(new ActionRecord(ActionKind.Backup, target, ActionOutcome.Failed, detail + RemovePartial(statement.Files)));
                return null;
            }

            var summary = execution.Messages.Last(m => m.Number == 3014).Text;
            results.Add(BackupCheckIds.Taken, CheckOutcome.Met(
                $"Copy-only full backup with checksums{(statement.Compress ? " (compressed)" : string.Empty)} written to {statement.Files.Count} file(s).",
                new Evidence(source + ": BACKUP", summary),
                new Evidence("files", target)));
            actions.Add(new ActionRecord(ActionKind.Backup, target, ActionOutcome.Done, summary));
            return execution.Messages;
        }
        catch (SqlSessionException ex)
        {
            var detail = $"BACKUP failed: {ex.Message}";
            results.Add(BackupCheckIds.Taken, CheckOutcome.Unmet(detail, Remediation(ex), Messages(source, ex.Messages)));
            actions.Add(new ActionRecord(ActionKind.Backup, target, ActionOutcome.Failed, detail + RemovePartial(statement.Files)));
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SqlClient sent an attention: SQL Server stops the backup; what it wrote is incomplete.
            var elapsed = Stopwatch.GetElapsedTime(started);
            var detail = string.Create(CultureInfo.InvariantCulture, $"BACKUP cancelled after {elapsed.TotalSeconds:0.0}s; the backup is incomplete and NOT usable.");
            results.Add(BackupCheckIds.Taken, CheckOutcome.Unmet(detail, "Run prepare again when there is time for the whole backup."));
            actions.Add(new ActionRecord(ActionKind.Backup, target, ActionOutcome.Cancelled, detail + RemovePartial(statement.Files)));
            return null;
        }
    }

    private async Task<string?> BackupServiceMasterKeyAsync(
        ISqlSession session, BackupPreflight preflight, string directory, DateTimeOffset takenAt,
        BackupStepResults results, List<ActionRecord> actions, CancellationToken cancellationToken)
    {
        var source = _sql.Description;
        if (_options.ServiceMasterKeyPassword is not { Length: > 0 } password)
        {
            results.Add(BackupCheckIds.ServiceMasterKey, CheckOutcome.Warning(
                "The service master key was not backed up: no password was given.",
                "Set the pipeline secret ORCHPREP_SMK_PASSWORD (the password that protects the key file) and run prepare again; a restore on a new server needs the key to open what it encrypted (linked server and credential secrets)."));
            return null;
        }

        if (!preflight.Permissions.IsSysadmin && !preflight.Permissions.CanControlServer)
        {
            results.Add(BackupCheckIds.ServiceMasterKey, CheckOutcome.Warning(
                "The service master key was not backed up: the login lacks CONTROL SERVER.",
                "Grant CONTROL SERVER for the upgrade window, or back the key up yourself (BACKUP SERVICE MASTER KEY)."));
            return null;
        }

        var file = ServerPath.Join(directory, ServiceMasterKeyFiles.For(preflight.ServerName, takenAt));
        try
        {
            await session.ExecuteAsync(BackupQueries.BackupServiceMasterKey(file, password), TimeSpan.FromMinutes(5), null, cancellationToken).ConfigureAwait(false);
            results.Add(BackupCheckIds.ServiceMasterKey, CheckOutcome.Met(
                "The service master key is backed up, protected by the ORCHPREP_SMK_PASSWORD secret.",
                new Evidence(source + ": BACKUP SERVICE MASTER KEY", file)));
            actions.Add(new ActionRecord(ActionKind.SaveKeys, file, ActionOutcome.Done, "service master key backed up (password from ORCHPREP_SMK_PASSWORD, not recorded)"));
            return file;
        }
        catch (SqlSessionException ex)
        {
            results.Add(BackupCheckIds.ServiceMasterKey, CheckOutcome.Unmet(
                (IsPasswordPolicyRefusal(ex) ? "BACKUP SERVICE MASTER KEY refused the password from ORCHPREP_SMK_PASSWORD: " : "BACKUP SERVICE MASTER KEY failed: ") + ex.Message,
                ServiceMasterKeyRemediation(ex),
                Messages(source, ex.Messages)));
            actions.Add(new ActionRecord(ActionKind.SaveKeys, file, ActionOutcome.Failed, ex.Message));
            return null;
        }
    }

    /// <summary>A backup that failed verification must never pass for a good one: where this runner reaches the
    /// folder its files become <c>….bak.failed</c> and the .sha256 written during verification goes. No manifest is
    /// written, so retention never counts it even where the rename was not possible (docs/adr/0012).</summary>
    private string MarkFailed(IReadOnlyList<string> files)
    {
        var marked = new List<string>();
        var left = new List<string>();
        foreach (var file in files)
        {
            try
            {
                if (_fileSystem.File.Exists(file + ".sha256"))
                {
                    _fileSystem.File.Delete(file + ".sha256");
                }

                if (_fileSystem.File.Exists(file))
                {
                    _fileSystem.File.Move(file, file + BackupFileNames.FailedExtension, overwrite: true);
                    marked.Add(file + BackupFileNames.FailedExtension);
                }
                else
                {
                    left.Add(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                left.Add(file);
            }
        }

        var text = marked.Count > 0 ? "renamed to " + string.Join(", ", marked) + "." : string.Empty;
        if (left.Count > 0)
        {
            text += (text.Length > 0 ? " " : string.Empty) + "Not found or not renamable by this runner (gone, or the folder is out of its reach); left without a manifest, so never counted as a backup — do not use: " + string.Join(", ", left) + ".";
        }

        return text;
    }

    /// <summary>Deletes what a failed BACKUP left, when this runner can reach it: the files carry orchprep's unique
    /// names, so they are ours and useless. Otherwise says where they are.</summary>
    private string RemovePartial(IReadOnlyList<string> files)
    {
        var removed = new List<string>();
        var left = new List<string>();
        foreach (var file in files)
        {
            try
            {
                if (_fileSystem.File.Exists(file))
                {
                    _fileSystem.File.Delete(file);
                    removed.Add(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                left.Add(file);
            }
        }

        var text = string.Empty;
        if (removed.Count > 0)
        {
            text += " Removed the incomplete file(s): " + string.Join(", ", removed) + ".";
        }

        if (left.Count > 0)
        {
            text += " Incomplete file(s) could not be removed, delete them and do not use them: " + string.Join(", ", left) + ".";
        }

        return text;
    }

    internal static void ReportPercent(IProgress<BackupProgress>? progress, string step, SqlMessage message)
    {
        if (progress is null)
        {
            return;
        }

        if (message.Number == 3211 && PercentPattern().Match(message.Text) is { Success: true } match)
        {
            progress.Report(new BackupProgress(step, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), message.Text));
        }
        else if (!message.IsError)
        {
            progress.Report(new BackupProgress(step, null, message.Text));
        }
    }

    internal static Evidence[] Messages(string source, IReadOnlyList<SqlMessage> messages) =>
        messages.Select(m => new Evidence(source, m.ToString())).ToArray();

    private static string Remediation(SqlSessionException ex) => ex.Messages.FirstOrDefault(m => m.IsError)?.Number switch
    {
        3201 => "SQL Server's service account cannot open the backup file: check that the folder exists on (or is reachable from) the SQL Server and that the service account may write it.",
        3202 or 112 => "The backup folder ran out of space: free space or choose another folder (policies.backup.directory / --backup-dir).",
        262 => SqlPermissionAdvice.For(ex.Messages, null) is { } advice ? "SQL Server says " + advice + "; or use a sysadmin login." : "Grant the login db_backupoperator in the database, or use a sysadmin login.",
        1844 => "This edition cannot compress backups: set policies.backup.compression to auto or off.",
        -2 => "The statement timed out; large databases need more time.",
        _ => "Read the SQL Server messages above, fix the cause and run prepare again. The partial backup is not used.",
    };

    /// <summary>Password policy refusals (15116–15119, 15156) name the secret, not the folder: SQL Server checks the
    /// password against the Windows policy before it writes anything (docs/sql-permissions.md).</summary>
    private static string ServiceMasterKeyRemediation(SqlSessionException ex)
    {
        if (IsPasswordPolicyRefusal(ex))
        {
            return "The secret ORCHPREP_SMK_PASSWORD does not meet the SQL Server's password policy (the Windows policy of the server): "
                + "use at least 8 characters (at most 128) with characters from three of upper case letters, lower case letters, digits "
                + "and symbols, not containing the login's name, and as long as the server's minimum password length; then run prepare again.";
        }

        return ex.Messages.FirstOrDefault(m => m.IsError)?.Number switch
        {
            15247 => "Grant the login CONTROL SERVER for the upgrade window (it implies every permission on the instance), or back the key up yourself (BACKUP SERVICE MASTER KEY).",
            15240 => "Check that the SQL Server service account can write the backup folder and that no key file of that name exists.",
            _ => "Check that the SQL Server service account can write the backup folder and that the login has CONTROL SERVER.",
        };
    }

    private static bool IsPasswordPolicyRefusal(SqlSessionException ex) =>
        ex.Messages.FirstOrDefault(m => m.IsError)?.Number is 15116 or 15117 or 15118 or 15119 or 15156;

    [GeneratedRegex(@"^\s*(\d{1,3})\s+percent", RegexOptions.CultureInvariant)]
    private static partial Regex PercentPattern();
}
