using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// The SQL Server service account — not the login, not this runner — writes the backup. Check mode writes nothing, so it
/// reports what proves the service wrote the folder before: orchprep files only BACKUP statements create (its .bak and
/// .smk files, as this runner sees them) or an msdb backup into the folder, younger than policies.backup.maxAge → met;
/// otherwise a warning saying prepare proves it with a probe (<see cref="ServiceAccountProbe"/>) before the long
/// backup. The service account comes from sys.dm_server_services. xp_fileexist is not used: it answers in the
/// service's security context and reports missing files it may not see (false negatives). docs/adr/0018.
/// </summary>
public sealed class ServiceAccountAccessCheck : ICheck
{
    /// <summary>Every SQL Server service of the instance with its logon account (VIEW SERVER STATE).</summary>
    public const string ServicesQuery = "SELECT servicename, service_account FROM sys.dm_server_services";

    /// <summary>The newest backups any database wrote, with their devices (the folder is compared in code).</summary>
    public const string RecentDevicesQuery =
        "SELECT TOP (50) bs.backup_finish_date, bmf.physical_device_name FROM msdb.dbo.backupset AS bs " +
        "JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id ORDER BY bs.backup_finish_date DESC";

    public string Id => BackupCheckIds.ServiceAccountAccess;
    public string Title => BackupCheckIds.TitleOf(Id);
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is null)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var policy = context.Environment.Policies.Backup;
        if (policy.Directory is not { } directory)
        {
            return CheckOutcome.Warning("No backup folder is configured, so the SQL Server service account's access to it cannot be judged.", "Set policies.backup.directory (or --backup-dir).");
        }

        var source = context.Sql.Description;
        var evidence = new List<Evidence>();
        string account;
        DateTime? msdbProof = null;
        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            account = await ReadServiceAccountAsync(session, cancellationToken).ConfigureAwait(false);
            evidence.Add(new Evidence(source + ": sys.dm_server_services", $"SQL Server runs as {account}; backup folder {directory}"));
            try
            {
                var folder = ServerPath.Normalize(directory);
                var row = (await session.QueryAsync(RecentDevicesQuery, null, cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(r => r.String("physical_device_name") is { } device && ServerPath.Normalize(ServerPath.DirectoryOf(device)).Equals(folder, StringComparison.OrdinalIgnoreCase));
                if (row is not null && row["backup_finish_date"] is DateTime finished)
                {
                    msdbProof = finished;
                    evidence.Add(new Evidence(source + ": msdb.dbo.backupset", string.Create(CultureInfo.InvariantCulture, $"{row.String("physical_device_name")} written {finished:yyyy-MM-dd HH:mm:ss} (server time)")));
                }
            }
            catch (SqlSessionException ex) when (ex.Number is 229 or 916)
            {
                evidence.Add(new Evidence("unknown", $"msdb's backup history could not be read ({ex.Message})"));
            }
        }

        // Files only BACKUP statements create: written by the service account, whatever this runner's own rights are.
        var now = context.Time.GetUtcNow();
        var fileSystem = context.FileSystem;
        DateTimeOffset? fileProof = null;
        if (fileSystem is not null && fileSystem.Directory.Exists(directory))
        {
            var newest = fileSystem.Directory.EnumerateFiles(directory)
                .Where(f => fileSystem.Path.GetFileName(f) is var name && (name.EndsWith(BackupFileNames.Suffix + ".bak", StringComparison.OrdinalIgnoreCase) || ServiceMasterKeyFiles.IsOrchPrepKeyFile(name)))
                .Select(f => fileSystem.FileInfo.New(f))
                .Where(f => f.Length > 0)
                .MaxBy(f => f.LastWriteTimeUtc);
            if (newest is not null)
            {
                fileProof = new DateTimeOffset(newest.LastWriteTimeUtc, TimeSpan.Zero);
                evidence.Add(new Evidence(newest.FullName, string.Create(CultureInfo.InvariantCulture, $"written by SQL Server {newest.LastWriteTimeUtc:yyyy-MM-dd HH:mm:ss} UTC, {newest.Length} bytes")));
            }
        }

        // msdb keeps server-local time: compared with the runner's clock it is only a rough age (a day of slack is added).
        var recentFile = fileProof is { } f && now - f <= policy.MaxAge;
        var recentMsdb = msdbProof is { } m && now.UtcDateTime - m <= policy.MaxAge + TimeSpan.FromDays(1);
        if (recentFile || recentMsdb)
        {
            return CheckOutcome.Met($"SQL Server ({account}) wrote into {directory} within {Config.Duration.Format(policy.MaxAge)}; prepare proves it again with a probe before the backup.", [.. evidence]);
        }

        return CheckOutcome.Warning(
            $"Nothing shows that SQL Server's service account ({account}) can write {directory} now (no recent orchprep file there, no recent backup into it in msdb); check mode writes nothing, so prepare proves it with a tiny probe backup before the long one.",
            $"Give {account} modify rights on {directory} (share and NTFS), or run `orchprep prepare`, whose probe fails fast naming the account and the folder.",
            [.. evidence]);
    }

    /// <summary>The SQL Server engine service's account (not the Agent's); "the SQL Server service account" with the reason when unreadable.</summary>
    internal static async Task<string> ReadServiceAccountAsync(ISqlSession session, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await session.QueryAsync(ServicesQuery, null, cancellationToken).ConfigureAwait(false);
            var engine = rows.FirstOrDefault(r => r.String("servicename") is { } name && name.StartsWith("SQL Server (", StringComparison.OrdinalIgnoreCase))
                ?? rows.FirstOrDefault(r => r.String("servicename") is { } name && !name.Contains("Agent", StringComparison.OrdinalIgnoreCase));
            return engine?.String("service_account") is { Length: > 0 } account ? account : "the SQL Server service account (sys.dm_server_services named none)";
        }
        catch (SqlSessionException ex) when (ex.Number is 297 or 300 or 208)
        {
            return $"the SQL Server service account (not readable: {ex.Message})";
        }
    }
}
