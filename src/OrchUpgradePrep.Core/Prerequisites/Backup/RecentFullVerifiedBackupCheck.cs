using System.Globalization;
using System.Text.RegularExpressions;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Check mode's view of the backup prerequisite: msdb's newest full backup of the Orchestrator database is recent
/// (policies.backup.maxAge), carries checksums and is not marked damaged. It only reads msdb history; the proof
/// that a file restores (VERIFYONLY, HEADERONLY, test restore) is what <c>prepare</c> adds.
/// </summary>
public sealed partial class RecentFullVerifiedBackupCheck : ICheck
{
    public const string HistoryQuery =
        "SELECT TOP (1) bs.backup_set_id, bs.backup_finish_date, DATEDIFF(MINUTE, bs.backup_finish_date, GETDATE()) AS age_minutes, bs.is_copy_only, bs.has_backup_checksums, bs.is_damaged, " +
        "bs.first_lsn, bs.last_lsn, bs.backup_size, bs.description, bmf.physical_device_name " +
        "FROM msdb.dbo.backupset AS bs JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id " +
        "WHERE bs.database_name = @database AND bs.type = 'D' ORDER BY bs.backup_finish_date DESC, bs.backup_set_id DESC";

    public string Id => "backup.recent-full-verified";
    public string Title => "A recent full backup with checksums exists";
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is not { } config)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var maxAge = context.Environment.Policies.Backup.MaxAge;
        var remediation = $"Run `orchprep prepare` to take a copy-only, checksummed backup and verify it, or take a full backup WITH CHECKSUM; the newest must be younger than {Config.Duration.Format(maxAge)} (policies.backup.maxAge).";
        await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await session.QueryAsync(HistoryQuery, new Dictionary<string, object?> { ["@database"] = config.Database }, cancellationToken).ConfigureAwait(false);
        var source = $"{context.Sql.Description}: msdb.dbo.backupset";
        if (rows.Count == 0)
        {
            return CheckOutcome.Unmet($"msdb has no full backup of '{config.Database}'.", remediation, new Evidence(source, "no row with type 'D'"));
        }

        var row = rows[0];
        // msdb keeps server-local time without an offset: the server computes the age against its own clock.
        var age = TimeSpan.FromMinutes(row.Int64("age_minutes") ?? throw new SqlSessionException("backup_finish_date is NULL"));
        var finished = row["backup_finish_date"] is DateTime d ? d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " (server time)" : "?";
        var evidence = new Evidence(
            source,
            string.Create(CultureInfo.InvariantCulture,
                $"backup_set_id {row.Int64("backup_set_id")}, finished {finished}, copy-only {row.Flag("is_copy_only")}, checksums {row.Flag("has_backup_checksums")}, damaged {row.Flag("is_damaged")}, LSN {row.String("first_lsn")}–{row.String("last_lsn")}, file {row.String("physical_device_name")}"));

        if (row.Flag("is_damaged"))
        {
            return CheckOutcome.Unmet("The newest full backup is marked damaged in msdb.", remediation, evidence);
        }

        if (!row.Flag("has_backup_checksums"))
        {
            return CheckOutcome.Unmet("The newest full backup was taken without CHECKSUM, so page damage would go unnoticed.", remediation, evidence);
        }

        if (OrchPrepVerdict(context, row.String("physical_device_name")) is { } notVerified)
        {
            return CheckOutcome.Unmet(notVerified, remediation, evidence);
        }

        if (age > maxAge)
        {
            return CheckOutcome.Unmet($"The newest full backup finished {Config.Duration.Format(RoundDown(age))} ago, older than {Config.Duration.Format(maxAge)}.", remediation, evidence);
        }

        return CheckOutcome.Met($"A full backup with checksums finished {Config.Duration.Format(RoundDown(age))} ago (limit {Config.Duration.Format(maxAge)}).", evidence);
    }

    /// <summary>msdb records a backup that orchprep later found bad just like a good one. For a file with orchprep's
    /// name, in a folder this runner sees, its mark decides (docs/adr/0012): a <c>.failed</c> twin or no manifest saying
    /// verified → not a verified backup. Null when the file is not orchprep's or the folder is out of sight.</summary>
    private static string? OrchPrepVerdict(CheckContext context, string? device)
    {
        var directory = context.Environment.Policies.Backup.Directory;
        var fileSystem = context.FileSystem;
        if (device is null || directory is null || fileSystem is null)
        {
            return null;
        }

        var name = ServerPath.FileNameOf(device);
        if (!BackupFileNames.IsOrchPrepBackup(name) || !fileSystem.Directory.Exists(directory))
        {
            return null;
        }

        var local = ServerPath.Join(directory, name);
        if (fileSystem.File.Exists(local + BackupFileNames.FailedExtension))
        {
            return $"The newest full backup ({name}) failed orchprep's verification and was renamed to {name}{BackupFileNames.FailedExtension}.";
        }

        var manifest = BackupManifest.PathFor(ServerPath.Join(directory, StripePattern().Replace(name, "_1of$1.bak")));
        VerifiedLevel? verified;
        try
        {
            verified = fileSystem.File.Exists(manifest) ? BackupManifest.ReadVerifiedLevel(fileSystem.File.ReadAllText(manifest)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A manifest this runner cannot read tells nothing either way: msdb's verdict stands.
            return null;
        }

        return verified is VerifiedLevel.Verifyonly or VerifiedLevel.Restore
            ? null
            : $"The newest full backup ({name}) is orchprep's, but no manifest beside it says it was verified (an interrupted or failed run).";
    }

    [GeneratedRegex(@"_\d+of(\d+)\.bak$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StripePattern();

    private static TimeSpan RoundDown(TimeSpan age) => TimeSpan.FromMinutes(Math.Max(0, Math.Floor(age.TotalMinutes)));
}
