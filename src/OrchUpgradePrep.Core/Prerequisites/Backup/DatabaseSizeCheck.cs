using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// Informational: the Orchestrator database's size (sys.database_files, used pages as a full backup holds them) and an
/// estimate of how long prepare's backup and its RESTORE VERIFYONLY will take, from the newest full backup's measured
/// rate in msdb (backup_size / (backup_finish_date − backup_start_date)). Met with that evidence; a warning when the
/// rate cannot be read (no history, msdb denied) or when the estimate exceeds the timeout prepare gives one statement.
/// docs/facts/backup-keys.md#size has the facts.
/// </summary>
public sealed class DatabaseSizeCheck : ICheck
{
    /// <summary>The newest full backup of the database with its size and times (msdb keeps server-local time: only the difference is used). @database.</summary>
    public const string ThroughputQuery =
        "SELECT TOP (1) backup_size, compressed_backup_size, backup_start_date, backup_finish_date FROM msdb.dbo.backupset " +
        "WHERE database_name = @database AND type = 'D' ORDER BY backup_finish_date DESC";

    public string Id => BackupCheckIds.DatabaseSize;
    public string Title => BackupCheckIds.TitleOf(Id);
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

        var source = context.Sql.Description;
        var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var files = (await session.QueryAsync(BackupQueries.DatabaseFiles, null, cancellationToken).ConfigureAwait(false))
                .Select(r => (Name: r.String("name") ?? "?", Type: r.String("type_desc") ?? "?", Size: r.Int64("size_bytes") ?? 0, Used: r.Int64("used_bytes") ?? r.Int64("size_bytes") ?? 0))
                .ToList();
            if (files.Count == 0)
            {
                return CheckOutcome.Error($"sys.database_files of [{config.Database}] returned no file, so its size is unknown.");
            }

            var used = files.Sum(f => f.Used);
            var evidence = new List<Evidence>
            {
                new(source + ": sys.database_files", string.Create(CultureInfo.InvariantCulture,
                    $"[{config.Database}]: used {Bytes.Format(used)} of {Bytes.Format(files.Sum(f => f.Size))} allocated; {string.Join(", ", files.Select(f => $"{f.Name} ({f.Type}) used {Bytes.Format(f.Used)} of {Bytes.Format(f.Size)}"))}")),
            };
            var size = $"[{config.Database}] uses {Bytes.Format(used)} (what a full backup holds)";

            IReadOnlyList<SqlRow> history;
            try
            {
                history = await session.QueryAsync(ThroughputQuery, new Dictionary<string, object?> { ["@database"] = config.Database }, cancellationToken).ConfigureAwait(false);
            }
            catch (SqlSessionException ex) when (ex.Number is 229 or 916)
            {
                return CheckOutcome.Warning(
                    $"{size}; msdb's backup history could not be read ({ex.Message}), so how long the backup will take is unknown.",
                    "Grant SELECT on msdb.dbo.backupset (docs/sql-permissions.md).",
                    [.. evidence]);
            }

            if (history.Count == 0 || history[0]["backup_start_date"] is not DateTime start || history[0]["backup_finish_date"] is not DateTime finish
                || history[0].Int64("backup_size") is not { } backupBytes || backupBytes <= 0)
            {
                return CheckOutcome.Warning(
                    $"{size}; msdb holds no full backup of it to measure the rate from, so how long the backup will take is unknown.",
                    "Allow time for the first backup; a later run estimates it from this one.",
                    [.. evidence]);
            }

            // msdb stores whole seconds: a backup under a second is counted as one, which only lengthens the estimate.
            var seconds = Math.Max(1.0, (finish - start).TotalSeconds);
            var bytesPerSecond = backupBytes / seconds;
            var backupTime = TimeSpan.FromSeconds(Math.Ceiling(used / bytesPerSecond));
            evidence.Add(new Evidence(source + ": msdb.dbo.backupset", string.Create(CultureInfo.InvariantCulture,
                $"newest full backup {finish:yyyy-MM-dd HH:mm:ss} (server time): {Bytes.Format(backupBytes)} in {seconds:0} s = {Bytes.Format((long)bytesPerSecond)}/s{(history[0].Int64("compressed_backup_size") is { } compressed && compressed < backupBytes ? $", {Bytes.Format(compressed)} compressed" : string.Empty)}")));
            evidence.Add(new Evidence("estimate", string.Create(CultureInfo.InvariantCulture,
                $"backup ≈ {Human(backupTime)}, RESTORE VERIFYONLY ≈ {Human(backupTime)} (it reads the whole backup; the same rate is assumed, UNCONFIRMED), about {Human(backupTime + backupTime)} in all; --verify restore adds a restore and DBCC CHECKDB")));

            var budget = BackupPreparationOptions.DefaultStatementTimeout;
            return backupTime > budget
                ? CheckOutcome.Warning(
                    $"{size}; at the last full backup's rate its backup would take about {Human(backupTime)}, longer than the {Human(budget)} prepare allows one statement.",
                    "Plan the upgrade window for it: shrink what need not be kept (see backup.log-hygiene), back up to faster storage or with compression, or take the backup before the window and run check.",
                    [.. evidence])
                : CheckOutcome.Met($"{size}; backup and verification should take about {Human(backupTime + backupTime)} at the last full backup's rate.", [.. evidence]);
        }
    }

    /// <summary>"7h 18m", "3m 8s", "42s": an estimate, so no finer than a second.</summary>
    internal static string Human(TimeSpan value) => value.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours}h {value.Minutes}m")
        : value.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m {value.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(value.TotalSeconds))}s");
}
