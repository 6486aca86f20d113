using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// The test restore on another SQL Server instance (policies.verify.restoreServer / --restore-server), the rehearsal of a
/// side-by-side upgrade: connect → read its default data and log paths and service account → RESTORE HEADERONLY and
/// FILELISTONLY from the backup folder as that server sees it → RESTORE DATABASE under a scratch name WITH MOVE to its
/// default paths, CHECKSUM → DBCC CHECKDB WITH NO_INFOMSGS → what the database master key needs there → DROP, always.
/// The restore → CHECKDB → drop sequence is <see cref="TestRestore"/>'s, shared with the restore on the own instance; this
/// class adds the connection, the plan, the key judgement and what each refusal means there. The restore server's keys
/// are never changed (docs/adr/0022-verify-on-another-server.md).
/// </summary>
internal sealed partial class RestoreOnAnotherServer(
    ISqlConnector restoreServer,
    string serverName,
    ISqlSession sourceSession,
    BackupPreparationOptions options,
    string source,
    BackupStepResults results,
    List<ActionRecord> actions,
    IProgress<BackupProgress>? progress,
    TimeProvider time)
{
    /// <summary>What the restore server is and where it puts new databases' files (SQL Server 2012 and later).</summary>
    public const string ServerFactsQuery =
        "SELECT CAST(SERVERPROPERTY('ServerName') AS nvarchar(128)) AS server_name, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, " +
        "CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(260)) AS data_path, CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(260)) AS log_path";

    private string? _backupVersion;

    /// <summary>From sys.dm_server_services; null when the login may not read it (VIEW SERVER STATE).</summary>
    private string? _serviceAccount;

    /// <summary>True when the copy was restored on the restore server and DBCC CHECKDB found nothing.</summary>
    public async Task<bool> RunAsync(BackupPreflight preflight, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var directory = ServerPath.DirectoryOf(files[0]);
        var evidence = new List<Evidence>();
        if (!IsUnc(directory) && !SameServer(preflight.ServerName))
        {
            // Up front: a folder local to the source (D:\Backup) is almost never the same folder on another server.
            var warning = $"the backup folder {directory} is not a UNC path (\\\\server\\share): {serverName} reads it on its own disks, where it is seldom the same folder";
            progress?.Report(new BackupProgress("restore", null, "warning: " + warning));
            evidence.Add(new Evidence("policies.backup.directory", warning));
        }

        ISqlSession session;
        try
        {
            progress?.Report(new BackupProgress("restore", null, $"connecting to the restore server {serverName}"));
            session = await restoreServer.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlSessionException ex)
        {
            var detail = $"The test restore on {serverName} did not run: cannot connect ({ex.Message}). The backup itself is verified (RESTORE VERIFYONLY) and kept; it was not restored anywhere.";
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet(detail, ConnectRemediation(ex), [.. evidence, .. BackupPreparation.Messages(restoreServer.Description, ex.Messages)]));
            actions.Add(new ActionRecord(ActionKind.Verify, serverName, ActionOutcome.NotStarted, "test restore on another server not started: cannot connect: " + ex.Message));
            return false;
        }

        await using (session.ConfigureAwait(false))
        {
            var restore = new TestRestore(session, new TestRestoreSite(restoreServer, serverName, serverName), options, results, actions, progress, time)
            {
                JudgeKeys = (copy, ct) => JudgeKeysAsync(session, preflight.Database, preflight.ServerName, copy, ct),
                Explain = ex => Explain(ex, files),
            };
            return await restore.RunAsync(preflight.Database, files, (copy, ct) => PlanAsync(session, files, copy, evidence, ct), evidence, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the restore server is, where it puts the copy's files (its default data and log paths) and what
    /// the backup holds as it reads it; null after recording why the copy cannot be placed.</summary>
    private async Task<IReadOnlyList<(string LogicalName, string PhysicalName)>?> PlanAsync(ISqlSession session, IReadOnlyList<string> files, string copy, List<Evidence> evidence, CancellationToken cancellationToken)
    {
        var facts = (await session.QueryAsync(ServerFactsQuery, null, cancellationToken).ConfigureAwait(false)).Single();
        var dataPath = facts.String("data_path");
        var logPath = facts.String("log_path") ?? dataPath;
        var version = facts.String("product_version") ?? "?";
        evidence.Add(new Evidence(serverName + ": SERVERPROPERTY", $"{facts.String("server_name")} {version}; default data path {dataPath ?? "NULL"}, log path {logPath ?? "NULL"}"));
        await ReadServiceAccountAsync(session, cancellationToken).ConfigureAwait(false);
        if (dataPath is null || logPath is null)
        {
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet(
                $"{serverName} names no default data or log path (SERVERPROPERTY('InstanceDefaultDataPath'/'InstanceDefaultLogPath') is NULL), so orchprep does not know where to put the copy.",
                $"Set the default database locations of {serverName} (server properties, Database Settings), or use SQL Server 2012 or later.",
                [.. evidence]));
            return null;
        }

        progress?.Report(new BackupProgress("restore", null, $"RESTORE HEADERONLY/FILELISTONLY on {serverName}"));
        var header = await session.QueryAsync(BackupQueries.HeaderOnly(files), null, cancellationToken).ConfigureAwait(false);
        _backupVersion = header.Count == 1 ? BackupVersion(header[0]) : null;
        evidence.Add(new Evidence(serverName + ": RESTORE HEADERONLY", $"{header.Count} backup set(s); written by SQL Server {_backupVersion ?? "?"}"));
        var fileList = (await session.QueryAsync(BackupQueries.FileListOnly(files), null, cancellationToken).ConfigureAwait(false)).Select(BackupFileListEntry.From);
        var moves = fileList.Select(f => f.MoveFor(copy, f.IsLog ? logPath : dataPath)).ToList();
        if (moves.Count == 0)
        {
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet($"RESTORE FILELISTONLY on {serverName} listed no files.", "Do not rely on this backup; take it again.", [.. evidence]));
            return null;
        }

        return moves;
    }

    private async Task ReadServiceAccountAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await session.QueryAsync(ServiceAccountAccessCheck.ServicesQuery, null, cancellationToken).ConfigureAwait(false);
            var engine = rows.FirstOrDefault(r => r.String("servicename")?.StartsWith("SQL Server (", StringComparison.OrdinalIgnoreCase) == true);
            if (engine?.String("service_account") is { Length: > 0 } account)
            {
                _serviceAccount = account;
            }
        }
        catch (SqlSessionException)
        {
            // Without VIEW SERVER STATE the account stays unnamed; the restore itself still says whether the folder is readable.
        }
    }

    /// <summary>The database master key of the restored copy (sys.symmetric_keys in it), and how the source protects it
    /// (sys.databases.is_master_key_encrypted_by_server there). Read only: the restore server's keys are never changed.</summary>
    private async Task<CheckOutcome> JudgeKeysAsync(ISqlSession session, string database, string sourceServer, string copy, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence>();
        try
        {
            var keys = await session.QueryAsync(MasterKeyOf(copy), null, cancellationToken).ConfigureAwait(false);
            if (keys.Count == 0)
            {
                return CheckOutcome.Met($"The restored copy has no database master key: nothing to re-open on {serverName}.",
                    new Evidence($"{serverName}: [{copy}].sys.symmetric_keys", "no ##MS_DatabaseMasterKey##"));
            }

            evidence.Add(new Evidence($"{serverName}: [{copy}].sys.symmetric_keys", "##MS_DatabaseMasterKey## present"));
            var restoredRows = await session.QueryAsync(EncryptionKeysCheck.DatabaseQuery, new Dictionary<string, object?> { ["@database"] = copy }, cancellationToken).ConfigureAwait(false);
            var restoredRow = restoredRows.Count > 0 ? restoredRows[0] : null;
            if (restoredRow is not null)
            {
                // UNCONFIRMED whether this flag on the new server proves the key opens there: shown, never judged on.
                evidence.Add(new Evidence($"{serverName}: sys.databases", $"[{copy}] is_master_key_encrypted_by_server = {(restoredRow.Flag("is_master_key_encrypted_by_server") ? 1 : 0)} (read only; not proof that the key opens there)"));
            }

            var sourceRows = await sourceSession.QueryAsync(EncryptionKeysCheck.DatabaseQuery, new Dictionary<string, object?> { ["@database"] = database }, cancellationToken).ConfigureAwait(false);
            var sourceRow = sourceRows.Count > 0 ? sourceRows[0] : null;
            var bySmk = sourceRow?.Flag("is_master_key_encrypted_by_server") == true;
            evidence.Add(new Evidence(source + ": sys.databases", sourceRow is null ? $"[{database}] not listed" : $"[{database}] is_master_key_encrypted_by_server = {(bySmk ? 1 : 0)}"));
            var steps =
                $"For the real move to {serverName}: restore the database, then either (a) OPEN MASTER KEY DECRYPTION BY PASSWORD = '<the database master key's password>'; " +
                "ALTER MASTER KEY ADD ENCRYPTION BY SERVICE MASTER KEY; CLOSE MASTER KEY; — in the restored database, so the new server opens it by itself; or (b) on a new server " +
                "dedicated to Orchestrator, RESTORE SERVICE MASTER KEY FROM FILE = '<the .smk file prepare writes beside the backup (backup.service-master-key)>' DECRYPTION BY PASSWORD = '<ORCHPREP_SMK_PASSWORD>' " +
                "(it replaces that server's service master key and re-encrypts everything under it). orchprep changed no key on " + serverName + ".";
            return CheckOutcome.Warning(
                bySmk
                    ? $"The Orchestrator database has a database master key encrypted by {sourceServer}'s service master key: on {serverName} it does not open by itself."
                    : $"The Orchestrator database has a database master key protected by a password only: on {serverName} (as on any server) it opens only with that password.",
                steps,
                [.. evidence]);
        }
        catch (SqlSessionException ex)
        {
            return CheckOutcome.Warning($"What the database master key needs on {serverName} could not be read: {ex.Message}",
                "Give the login VIEW DEFINITION on the restored copy (its creator owns it, so this is rare), or check sys.symmetric_keys yourself after a restore.",
                [.. evidence, .. BackupPreparation.Messages(serverName, ex.Messages)]);
        }
    }

    /// <summary>What each documented refusal means on the restore server, in the user's words.</summary>
    private (string Detail, string Remediation) Explain(SqlSessionException ex, IReadOnlyList<string> files)
    {
        var first = ex.Messages.FirstOrDefault(m => m.IsError);
        switch (first?.Number)
        {
            case 3201:
                var os = OsErrorPattern().Match(first.Text) is { Success: true } m ? $" (operating system error {m.Groups[1].Value})" : string.Empty;
                var account = _serviceAccount is { } known ? $"its SQL Server service account, {known}," : "its SQL Server service account (not named: reading it needs VIEW SERVER STATE)";
                return ($"{serverName} cannot read the backup file {files[0]}{os}: {account} does not reach that path.",
                    $"Put the backup on a share both servers reach (policies.backup.directory: '\\\\backup01\\orch') and grant {_serviceAccount ?? $"the SQL Server service account of {serverName}"} read access to it (for a virtual account such as NT Service\\MSSQLSERVER: the computer account of that machine); or copy the files to a folder of {serverName} first.");
            case 3257:
                return ($"{serverName} has not enough free space for the copy: {first.Text}",
                    $"Free space on {serverName}'s default data/log volumes (the copy needs the source database's allocated size), or choose another restore server.");
            case 3169:
                return ($"{serverName} runs an older SQL Server than the one that wrote the backup: a newer backup never restores on an older server. {first.Text}",
                    $"Restore on a SQL Server of the source's version or later (the backup was written by SQL Server {_backupVersion ?? "of the source's version"}), e.g. upgrade {serverName} first.");
            case 262 or 3110:
                return ($"The login may not restore on {serverName}: {first.Text}",
                    $"Grant the login CREATE ANY DATABASE on {serverName} (the dbcreator role); as the creator it owns the copy, which DBCC CHECKDB needs (docs/sql-permissions.md).");
            case 1801:
                return ($"A database named like the scratch copy already exists on {serverName}: {first.Text}", $"Drop the left-over copy on {serverName} (its name is in the message) and run prepare again.");
            case 5133 or 3156:
                return ($"{serverName} cannot create the copy's files in its default folders: {first.Text}", $"Check the default data and log folders of {serverName} and its service account's rights on them.");
            default:
                return ($"The test restore on {serverName} failed: {ex.Message}", "Read the SQL Server messages, fix the cause on the restore server and run prepare again.");
        }
    }

    private static string ConnectRemediation(SqlSessionException ex) => ex.Number switch
    {
        18456 => "Create the same login on the restore server (the sql: section's auth and user are used there too) and grant it dbcreator; or pick another restore server.",
        4060 => "The login lacks access to master on the restore server: map it there (it connects to master).",
        _ => "Check the restore server's name (server, server\\instance or server,port), that it runs, and that the runner reaches it (firewall, SQL Browser for named instances).",
    };

    /// <summary>SoftwareVersionMajor.Minor.Build from HEADERONLY, when it has them.</summary>
    private static string? BackupVersion(SqlRow row) =>
        row.Columns.Contains("SoftwareVersionMajor", StringComparer.OrdinalIgnoreCase)
            ? string.Create(CultureInfo.InvariantCulture, $"{row.Int64("SoftwareVersionMajor")}.{row.Int64("SoftwareVersionMinor")}.{row.Int64("SoftwareVersionBuild")}")
            : null;

    /// <summary>The copy's master key, by a three-part name (the session is in master).</summary>
    public static string MasterKeyOf(string copy) =>
        $"SELECT name, create_date FROM {TSql.Identifier(copy)}.sys.symmetric_keys WHERE name = N'##MS_DatabaseMasterKey##'";

    /// <summary>The restore server named as the source names itself (SERVERPROPERTY('ServerName')): then a local folder is the same folder.</summary>
    private bool SameServer(string sourceServerName) => string.Equals(serverName.Trim(), sourceServerName, StringComparison.OrdinalIgnoreCase);

    /// <summary>\\server\share\… (or //server/share/…).</summary>
    public static bool IsUnc(string path) => path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal);

    [GeneratedRegex(@"Operating system error (\d+\([^)]*\))", RegexOptions.CultureInvariant)]
    private static partial Regex OsErrorPattern();
}
