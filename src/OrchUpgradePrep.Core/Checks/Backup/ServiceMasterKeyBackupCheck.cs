using System.Globalization;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prepare.Backup;

namespace OrchUpgradePrep.Checks.Backup;

/// <summary>
/// Check mode's view of "keys saved": an orchprep service master key backup (<c>*_orchprep.smk</c>) younger than
/// policies.backup.maxAge is in the backup folder. SQL Server keeps no history of key backups, so the folder is
/// the evidence; when this runner cannot see the folder the check says so (warning) instead of guessing.
/// </summary>
public sealed class ServiceMasterKeyBackupCheck : ICheck
{
    public string Id => BackupCheckIds.ServiceMasterKey;
    public string Title => BackupCheckIds.TitleOf(Id);
    public Prerequisite Prerequisite => Prerequisite.Backup;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Environment.Sql is null)
        {
            return Task.FromResult(CheckOutcome.Skipped("not configured: the environment has no sql: section."));
        }

        var policy = context.Environment.Policies.Backup;
        const string Remediation = "Run `orchprep prepare` with the pipeline secret ORCHPREP_SMK_PASSWORD set: it backs up the service master key beside the database backup.";
        if (policy.Directory is not { } directory)
        {
            return Task.FromResult(CheckOutcome.Unmet("No backup folder is configured, so there is no key backup to find.", "Set policies.backup.directory. " + Remediation));
        }

        var fileSystem = context.FileSystem;
        if (fileSystem is null || !fileSystem.Directory.Exists(directory))
        {
            return Task.FromResult(CheckOutcome.Warning($"This runner cannot see {directory}, so it cannot tell whether the service master key is backed up.", Remediation));
        }

        var newest = fileSystem.Directory.EnumerateFiles(directory)
            .Where(f => ServiceMasterKeyFiles.IsOrchPrepKeyFile(fileSystem.Path.GetFileName(f)))
            .Select(f => fileSystem.FileInfo.New(f))
            .MaxBy(f => f.LastWriteTimeUtc);
        if (newest is null)
        {
            return Task.FromResult(CheckOutcome.Unmet($"{directory} holds no orchprep service master key backup (*_orchprep.smk).", Remediation));
        }

        var age = context.Time.GetUtcNow() - new DateTimeOffset(newest.LastWriteTimeUtc, TimeSpan.Zero);
        var evidence = new Evidence(newest.FullName, newest.LastWriteTimeUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        return Task.FromResult(age > policy.MaxAge
            ? CheckOutcome.Unmet($"The newest service master key backup is older than {Config.Duration.Format(policy.MaxAge)}.", Remediation, evidence)
            : CheckOutcome.Met("A recent service master key backup is in the backup folder.", evidence));
    }
}
