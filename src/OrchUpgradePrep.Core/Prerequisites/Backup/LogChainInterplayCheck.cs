using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Ola Hallengren's maintenance solution on the instance (dbo.DatabaseBackup, dbo.CommandLog in master or msdb, where
/// it is usually installed): orchprep's COPY_ONLY full backup lands in msdb.dbo.backupset as type 'D', and
/// DatabaseBackup's LOG backup cleanup has taken the newest type-'D' row as the last full without looking at
/// is_copy_only (olahallengren/sql-server-maintenance-solution#814), so it may delete log backups the last regular full
/// still needs. A warning when present (which versions are affected is UNCONFIRMED); met when absent and visible.
/// docs/facts/backup-keys.md#ola has the facts.
/// </summary>
public sealed class LogChainInterplayCheck : ICheck
{
    /// <summary>The databases looked in, each with its own query (a three-part name per database).</summary>
    public static IReadOnlyList<string> Databases { get; } = ["master", "msdb"];

    /// <summary>Whether the login sees every object (metadata visibility).</summary>
    public const string VisibilityQuery =
        "SELECT IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin, HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION') AS view_any_definition";

    public static string ObjectsQuery(string database) =>
        $"SELECT name, type_desc, modify_date FROM {TSql.Identifier(database)}.sys.objects WHERE name IN (N'DatabaseBackup', N'CommandLog')";

    public string Id => BackupCheckIds.LogChainInterplay;
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

        var source = context.Sql.Description;
        var found = new List<Evidence>();
        var unknown = new List<string>();
        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var visibility = (await session.QueryAsync(VisibilityQuery, null, cancellationToken).ConfigureAwait(false)).Single();
            if (!visibility.Flag("is_sysadmin") && !visibility.Flag("view_any_definition"))
            {
                unknown.Add("the login is neither sysadmin nor holds VIEW ANY DEFINITION, so SQL Server hides objects it may not see");
            }

            foreach (var database in Databases)
            {
                try
                {
                    foreach (var row in await session.QueryAsync(ObjectsQuery(database), null, cancellationToken).ConfigureAwait(false))
                    {
                        found.Add(new Evidence($"{source}: {database}.sys.objects", $"{row.String("name")} ({row.String("type_desc")}), modified {(row["modify_date"] is DateTime modified ? modified.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "?")}"));
                    }
                }
                catch (SqlSessionException ex) when (ex.Number is 916 or 229 or 4060)
                {
                    unknown.Add($"{database}.sys.objects could not be read ({ex.Message})");
                }
            }
        }

        const string Remediation =
            "Before the upgrade, make sure the log backup job's cleanup cannot delete log backups the last regular full backup still needs: update the maintenance solution " +
            "and check its LOG cleanup ignores copy-only backups, or pause LOG cleanup (@CleanupTime) until the next regular full backup. orchprep's own backup stays COPY_ONLY and does not break the chain.";
        if (found.Count > 0)
        {
            return CheckOutcome.Warning(
                "Ola Hallengren's maintenance solution is on this instance. orchprep's COPY_ONLY full backup is recorded in msdb as a full backup (type D), and DatabaseBackup's LOG backup cleanup has counted such a row as the last full (issue #814; which versions do is UNCONFIRMED), so after orchprep's backup it may delete log backups that a restore from the last regular full still needs.",
                Remediation,
                [.. found, .. unknown.Select(u => new Evidence("unknown", u))]);
        }

        if (unknown.Count > 0)
        {
            return CheckOutcome.Warning(
                "Whether Ola Hallengren's DatabaseBackup or CommandLog is on the instance is unknown: " + string.Join("; ", unknown) + ".",
                "Run the check as a sysadmin (or grant VIEW ANY DEFINITION); or look for dbo.DatabaseBackup yourself. " + Remediation,
                [.. unknown.Select(u => new Evidence("unknown", u))]);
        }

        return CheckOutcome.Met(
            "Neither dbo.DatabaseBackup nor dbo.CommandLog is in master or msdb: no Ola Hallengren log cleanup to be misled by the copy-only backup (a maintenance database elsewhere is not searched).",
            [.. Databases.Select(d => new Evidence($"{source}: {d}.sys.objects", "no DatabaseBackup, no CommandLog"))]);
    }
}
