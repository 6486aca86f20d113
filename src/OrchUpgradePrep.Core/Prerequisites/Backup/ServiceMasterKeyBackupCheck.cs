using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Check mode's view of "keys saved": an orchprep service master key backup of this instance
/// (<c>&lt;server&gt;_*_orchprep.smk</c>) younger than policies.backup.maxAge is in the backup folder. SQL Server keeps
/// no history of key backups, so the folder is the evidence — but only once SQL Server has answered: the instance
/// name comes from it, and a run that cannot read SQL Server is an error (exit 3), never a verdict from the folder
/// alone. A file too short to hold an encrypted key is no key backup.
/// </summary>
public sealed class ServiceMasterKeyBackupCheck : ICheck
{
    /// <summary>Shorter than this cannot hold an encrypted key (<see cref="ServiceMasterKeyFiles.MinimumKeyFileBytes"/>).</summary>
    public const int MinimumKeyFileBytes = ServiceMasterKeyFiles.MinimumKeyFileBytes;

    public string Id => BackupCheckIds.ServiceMasterKey;
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

        // SQL Server first: unreachable → SqlSessionException → the runner's error (exit 3), whatever the folder holds.
        string server;
        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.QueryAsync(BackupQueries.ServerName, null, cancellationToken).ConfigureAwait(false);
            server = rows.Count > 0 ? rows[0].String("ServerName") ?? string.Empty : string.Empty;
        }

        if (server.Length == 0)
        {
            return CheckOutcome.Error("SQL Server did not say its name (SERVERPROPERTY('ServerName')), so its key backups cannot be told apart.");
        }

        var policy = context.Environment.Policies.Backup;
        const string Remediation = "Run `orchprep prepare` with the pipeline secret ORCHPREP_SMK_PASSWORD set: it backs up the service master key beside the database backup.";
        if (policy.Directory is not { } directory)
        {
            return CheckOutcome.Unmet("No backup folder is configured, so there is no key backup to find.", "Set policies.backup.directory. " + Remediation);
        }

        if (ServiceMasterKeyFiles.Find(context.FileSystem, directory, server) is not { } keyFiles)
        {
            return CheckOutcome.Warning($"This runner cannot see {directory}, so it cannot tell whether the service master key is backed up.", Remediation);
        }

        var prefix = keyFiles.Prefix;
        var tooShort = keyFiles.TooShort;
        var newest = keyFiles.Newest;
        var shortEvidence = tooShort.Select(f => new Evidence(f.FullName, string.Create(CultureInfo.InvariantCulture, $"{f.Length} bytes: too short to hold a key, not counted"))).ToArray();
        if (newest is null)
        {
            return CheckOutcome.Unmet(
                tooShort.Count > 0
                    ? $"{directory} holds no usable service master key backup of {server}: {tooShort.Count} *_orchprep.smk file(s) are empty or truncated."
                    : $"{directory} holds no orchprep service master key backup of {server} ({prefix}*_orchprep.smk).",
                Remediation,
                shortEvidence);
        }

        var age = context.Time.GetUtcNow() - new DateTimeOffset(newest.LastWriteTimeUtc, TimeSpan.Zero);
        Evidence[] evidence = [new Evidence(newest.FullName, string.Create(CultureInfo.InvariantCulture,
            $"{newest.LastWriteTimeUtc:yyyy-MM-dd HH:mm:ss} UTC, {newest.Length} bytes")), .. shortEvidence];
        return age > policy.MaxAge
            ? CheckOutcome.Unmet($"The newest service master key backup is older than {Config.Duration.Format(policy.MaxAge)}.", Remediation, evidence)
            : CheckOutcome.Met("A recent service master key backup is in the backup folder.", evidence);
    }
}
