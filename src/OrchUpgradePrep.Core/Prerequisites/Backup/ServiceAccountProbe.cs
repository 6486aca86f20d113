using System.IO.Abstractions;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// prepare's proof, before the long backup, that the SQL Server service account can write and read the backup folder
/// (docs/adr/0018-service-account-probe.md): CREATE DATABASE of a tiny orchprep_probe_&lt;stamp&gt; database (the login
/// holds CREATE ANY DATABASE for VERIFYONLY already, and owns what it creates), a COPY_ONLY backup of it to
/// &lt;server&gt;_&lt;stamp&gt;_orchprep.probe in the folder (written by the service), RESTORE VERIFYONLY of that file
/// (read back by the service), then DROP DATABASE and, where this runner reaches the folder, the file deleted. A 3201 on
/// the probe's BACKUP is unmet naming the service account and the folder; a probe that cannot start (CREATE DATABASE
/// refused) is a warning and leaves the verdict to the backup itself.
/// </summary>
public sealed class ServiceAccountProbe(ISqlSession session, IFileSystem fileSystem, string source, TimeSpan timeout)
{
    public const string Extension = ".probe";

    /// <summary>Per statement of the probe: a database of a few MB, so its own bound, not the long backup's.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromMinutes(5);

    public static string DatabaseFor(DateTimeOffset at) => $"orchprep_probe_{BackupFileNames.Stamp(at)}";

    public static string FileFor(string directory, string server, DateTimeOffset at) =>
        ServerPath.Join(directory, $"{BackupFileNames.ServerPart(server)}_{BackupFileNames.Stamp(at)}{BackupFileNames.Suffix}{Extension}");

    public static string CreateDatabase(string name) => $"CREATE DATABASE {TSql.Identifier(name)}";

    public static BackupStatement Backup(string database, string file) => new()
    {
        Database = database,
        Files = [file],
        Compress = false,
        StatsPercent = 50,
        Name = database,
        Description = "orchprep: probe of the SQL Server service account's access to the backup folder (removed at once)",
    };

    public async Task<CheckOutcome> RunAsync(string serverName, string directory, DateTimeOffset at, List<ActionRecord> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var account = await ServiceAccountAccessCheck.ReadServiceAccountAsync(session, cancellationToken).ConfigureAwait(false);
        var database = DatabaseFor(at);
        var file = FileFor(directory, serverName, at);
        var who = new Evidence(source + ": sys.dm_server_services", $"SQL Server runs as {account}; backup folder {directory}");
        try
        {
            await session.ExecuteAsync(CreateDatabase(database), timeout, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex)
        {
            actions.Add(new ActionRecord(ActionKind.Backup, database, ActionOutcome.NotStarted, "service account probe not run: " + ex.Message));
            return CheckOutcome.Warning(
                $"The probe of {account}'s access to {directory} could not start (CREATE DATABASE {database}: {ex.Message}); the backup itself will show whether the service can write there.",
                "Grant the login CREATE ANY DATABASE (docs/sql-permissions.md) so prepare can prove the folder before the long backup.",
                [who, .. BackupPreparation.Messages(source, ex.Messages)]);
        }

        try
        {
            try
            {
                var backup = await session.ExecuteAsync(Backup(database, file).ToSql(), timeout, null, cancellationToken).ConfigureAwait(false);
                if (!backup.Messages.Any(m => m.Number == 3014))
                {
                    return CheckOutcome.Unmet($"The probe backup to {directory} returned without SQL Server's success message (3014).", "Look at the SQL Server error log, then run prepare again.", [who, .. BackupPreparation.Messages(source, backup.Messages)]);
                }
            }
            catch (SqlSessionException ex)
            {
                actions.Add(new ActionRecord(ActionKind.Backup, file, ActionOutcome.Failed, "service account probe: " + ex.Message));
                var denied = ex.Messages.Any(m => m.Number == 3201);
                return CheckOutcome.Unmet(
                    denied
                        ? $"SQL Server's service account {account} cannot write the backup folder {directory}: {ex.Message}"
                        : $"The probe backup of {account} to {directory} failed: {ex.Message}",
                    denied
                        ? $"Give {account} modify rights on {directory} (the share and NTFS permissions, as the SQL Server service sees the path; a gMSA needs them granted to the gMSA itself), or choose a folder it can write (policies.backup.directory / --backup-dir); then run prepare again. This runner's own rights prove nothing: the service writes the backup."
                        : "Read the SQL Server messages above, fix the cause and run prepare again.",
                    [who, .. BackupPreparation.Messages(source, ex.Messages)]);
            }

            SqlExecution verify;
            try
            {
                verify = await session.ExecuteAsync(BackupQueries.VerifyOnly([file], 50), timeout, null, cancellationToken).ConfigureAwait(false);
            }
            catch (SqlSessionException ex)
            {
                return CheckOutcome.Unmet(
                    $"SQL Server's service account {account} wrote {file} but could not read it back: {ex.Message}",
                    $"Give {account} read rights on {directory} too, then run prepare again.",
                    [who, .. BackupPreparation.Messages(source, ex.Messages)]);
            }

            if (!verify.Messages.Any(m => m.Number == 3262))
            {
                return CheckOutcome.Unmet($"The probe written to {directory} did not verify (no 3262).", "Look at the SQL Server error log, then run prepare again.", [who, .. BackupPreparation.Messages(source, verify.Messages)]);
            }

            actions.Add(new ActionRecord(ActionKind.Verify, file, ActionOutcome.Done, $"service account probe: {account} wrote and read back a probe backup"));
            return CheckOutcome.Met($"SQL Server's service account {account} wrote and read back a probe backup in {directory}.", who, new Evidence(source + ": probe", file));
        }
        finally
        {
            await CleanUpAsync(database, file, actions).ConfigureAwait(false);
        }
    }

    /// <summary>Always: the probe database is dropped and its file deleted (even after a cancel: a bounded, uncancelled statement).</summary>
    private async Task CleanUpAsync(string database, string file, List<ActionRecord> actions)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await session.ExecuteAsync(BackupQueries.DropDatabase(database), TimeSpan.FromMinutes(1), null, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqlSessionException or OperationCanceledException)
        {
            actions.Add(new ActionRecord(ActionKind.Backup, database, ActionOutcome.Failed, $"the probe database was not dropped ({ex.Message}): DROP DATABASE {TSql.Identifier(database)}"));
        }

        try
        {
            if (fileSystem.File.Exists(file))
            {
                fileSystem.File.Delete(file);
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            actions.Add(new ActionRecord(ActionKind.Backup, file, ActionOutcome.Kept, $"the probe file could not be removed by this runner ({ex.Message}); delete it"));
            return;
        }

        if (fileSystem.Directory.Exists(ServerPath.DirectoryOf(file)))
        {
            return; // the folder is visible and the file is not there: the backup never wrote it
        }

        actions.Add(new ActionRecord(ActionKind.Backup, file, ActionOutcome.Kept, "this runner cannot reach the backup folder to remove the probe file (a few MB); delete it"));
    }
}
