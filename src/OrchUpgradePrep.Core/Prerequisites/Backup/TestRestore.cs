using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>Where a test restore runs and how the report names it.</summary>
/// <param name="Connector">The instance's connector: a drop whose session broke gets one fresh session from it.</param>
/// <param name="Label">The source of its evidence (the connector's description, or the restore server's name).</param>
/// <param name="ServerName">Another instance (--restore-server) named in every line; null = the Orchestrator database's own instance.</param>
internal sealed record TestRestoreSite(ISqlConnector Connector, string Label, string? ServerName);

/// <summary>
/// The one implementation of the test restore (verify: restore), on the Orchestrator database's own instance
/// (<see cref="BackupVerification"/>) or on another one (<see cref="RestoreOnAnotherServer"/>): plan the file moves →
/// RESTORE DATABASE under a scratch name (3014 must arrive) → the key judgement, when the site has one → DBCC CHECKDB
/// WITH NO_INFOMSGS (any message, or an error, is a finding) → DROP, always: in a finally path with its own timeout that
/// runs after a cancel too, on one fresh session when the first broke, and a drop that still fails is an action naming
/// the exact DROP statement. Absence of an error is never taken as success.
/// </summary>
internal sealed class TestRestore(
    ISqlSession session,
    TestRestoreSite site,
    BackupPreparationOptions options,
    BackupStepResults results,
    List<ActionRecord> actions,
    IProgress<BackupProgress>? progress,
    TimeProvider time)
{
    /// <summary>The own timeout of the drop in the finally path: it runs after a cancel too.</summary>
    public static readonly TimeSpan DropTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The site's judgement of what the copy's keys need (backup.restore-keys), between RESTORE and CHECKDB; null = none.</summary>
    public Func<string, CancellationToken, Task<CheckOutcome>>? JudgeKeys { get; init; }

    /// <summary>What a failed plan or RESTORE means, in the user's words; null = SQL Server's message as it is.</summary>
    public Func<SqlSessionException, (string Detail, string Remediation)>? Explain { get; init; }

    private string On => site.ServerName is null ? string.Empty : " on " + site.ServerName;

    /// <summary>True when the copy was restored and DBCC CHECKDB found nothing; every other end is recorded in results and actions.</summary>
    /// <param name="plan">Given the copy's name: the WITH MOVE list, or null after recording why there is none. It runs
    /// inside the sequence, so its SQL errors are explained and its cancel reported like the restore's.</param>
    /// <param name="evidence">What the site already found (collected further by the plan); every outcome carries it.</param>
    public async Task<bool> RunAsync(string database, IReadOnlyList<string> files,
        Func<string, CancellationToken, Task<IReadOnlyList<(string LogicalName, string PhysicalName)>?>> plan,
        List<Evidence> evidence, CancellationToken cancellationToken)
    {
        var copy = $"{database}_orchprep_verify_{BackupFileNames.Stamp(time.GetUtcNow())}";
        var other = site.ServerName is not null;
        var kept = other ? " The backup itself is verified (RESTORE VERIFYONLY) and kept." : string.Empty;
        var restoreStarted = false;
        var restored = false;
        var checkingConsistency = false;
        var clean = false;
        try
        {
            var moves = await plan(copy, cancellationToken).ConfigureAwait(false);
            if (moves is null)
            {
                return false;
            }

            progress?.Report(new BackupProgress("restore", 0, $"RESTORE DATABASE [{copy}]{On} (test restore{(other ? " elsewhere" : string.Empty)})"));
            // From here the copy may exist: SQL Server creates it first and leaves it RESTORING when the RESTORE fails or is cancelled.
            restoreStarted = true;
            var restore = await session.ExecuteAsync(BackupQueries.RestoreAs(copy, files, moves, options.StatsPercent), options.StatementTimeout,
                m => BackupPreparation.ReportPercent(progress, "restore", m), cancellationToken).ConfigureAwait(false);
            restored = true;
            var done = restore.Messages.LastOrDefault(m => m.Number == 3014);
            if (done is null)
            {
                results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet($"RESTORE{On} ended without SQL Server's success message (3014).",
                    other ? "Do not rely on this restore; read the messages and run prepare again." : "Do not rely on this backup; take it again.",
                    [.. evidence, .. BackupPreparation.Messages(site.Label, restore.Messages)]));
                return false;
            }

            evidence.Add(new Evidence($"{site.Label}: RESTORE DATABASE {copy}", done.Text));
            progress?.Report(new BackupProgress("restore", null, $"DBCC CHECKDB([{copy}]){On}"));
            if (JudgeKeys is not null)
            {
                results.Add(BackupCheckIds.RestoreKeys, await JudgeKeys(copy, cancellationToken).ConfigureAwait(false));
            }

            checkingConsistency = true;
            var check = await session.ExecuteAsync(BackupQueries.CheckDb(copy), options.StatementTimeout, null, cancellationToken).ConfigureAwait(false);
            if (check.Messages.Count > 0)
            {
                // WITH NO_INFOMSGS: any message at all is a finding.
                results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet($"DBCC CHECKDB reported findings on {Restored(copy)}.",
                    "Investigate the source database's consistency (DBCC CHECKDB on it) before the upgrade.", [.. evidence, .. BackupPreparation.Messages(site.Label, check.Messages)]));
                return false;
            }

            evidence.Add(new Evidence($"{site.Label}: DBCC CHECKDB WITH NO_INFOMSGS", "no findings"));
            AddSiteAction(ActionOutcome.Done, $"restored as [{copy}]{On}, DBCC CHECKDB clean");
            // The verdict waits for the drop (finally): it must not say "dropped" before the drop has run.
            clean = true;
            return true;
        }
        catch (SqlSessionException ex) when (checkingConsistency)
        {
            // CHECKDB reports corruption as errors (8928, 8939, 2533 …): findings, not a failure of the server.
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet($"DBCC CHECKDB reported findings on {Restored(copy)}: {ex.Message}",
                "Investigate the source database's consistency (DBCC CHECKDB on it) before the upgrade." + kept,
                [.. evidence, .. BackupPreparation.Messages(site.Label, ex.Messages)]));
            AddSiteAction(ActionOutcome.Failed, "DBCC CHECKDB reported findings on the restored copy");
            return false;
        }
        catch (SqlSessionException ex)
        {
            var (detail, remediation) = Explain?.Invoke(ex)
                ?? ($"The test restore{On} failed: {ex.Message}", "Do not rely on this backup; take it again and check the storage.");
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet(detail + kept, remediation, [.. evidence, .. BackupPreparation.Messages(site.Label, ex.Messages)]));
            AddSiteAction(ActionOutcome.Failed, detail);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var detail = $"The test restore{On} was cancelled{(restoreStarted ? " during RESTORE/CHECKDB; dropping the copy was attempted (see the actions)" : string.Empty)}.";
            results.Add(BackupCheckIds.TestRestore, CheckOutcome.Unmet(detail, "Run prepare again when there is time for the whole restore.", [.. evidence]));
            AddSiteAction(ActionOutcome.Cancelled, detail);
            throw;
        }
        finally
        {
            var dropped = !restoreStarted || await DropAsync(copy, restored ? null : cancellationToken.IsCancellationRequested ? "cancelled" : "failed").ConfigureAwait(false);
            if (clean)
            {
                var proven = other
                    ? $"Restored on {site.ServerName} as [{copy}] from the backup folder as {site.ServerName} sees it; DBCC CHECKDB found nothing"
                    : $"Restored as [{copy}], DBCC CHECKDB found nothing";
                results.Add(BackupCheckIds.TestRestore, dropped
                    ? CheckOutcome.Met($"{proven}; the copy was dropped.", [.. evidence])
                    : CheckOutcome.Warning($"{proven}, but the copy could not be dropped: it still uses disk{On}.",
                        $"Drop it by hand{On}: {BackupQueries.DropDatabase(copy)} (the failed drop is in the actions).", [.. evidence]));
            }
        }
    }

    private string Restored(string copy) => site.ServerName is { } server ? $"the copy restored on {server}" : "the restored copy";

    /// <summary>Another instance gets its own line (target: its name); on the own instance the test-restore check says it all.</summary>
    private void AddSiteAction(ActionOutcome outcome, string detail)
    {
        if (site.ServerName is { } server)
        {
            actions.Add(new ActionRecord(ActionKind.Verify, server, outcome, detail));
        }
    }

    /// <summary>Drops the scratch copy (after a failed or cancelled RESTORE: when sys.databases lists it). Its own timeout;
    /// a broken session gets one fresh one; a drop that still fails is an action naming the exact statement.</summary>
    /// <returns>True when the copy is gone (dropped, or a failed restore left none); false when it may still be there.</returns>
    private async Task<bool> DropAsync(string copy, string? how)
    {
        using var timeout = new CancellationTokenSource(DropTimeout);
        var drop = BackupQueries.DropDatabase(copy);
        var target = site.ServerName is { } server ? $"{server}: {copy}" : copy;
        Exception? failure = null;
        var known = how is null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            ISqlSession? fresh = null;
            try
            {
                var on = session;
                if (attempt == 1)
                {
                    fresh = await site.Connector.OpenAsync(timeout.Token).ConfigureAwait(false);
                    on = fresh;
                }

                if (how is not null)
                {
                    var rows = await on.QueryAsync(BackupQueries.Database, new Dictionary<string, object?> { ["@database"] = copy }, timeout.Token).ConfigureAwait(false);
                    var row = rows.FirstOrDefault(r => string.Equals(r.String("name"), copy, StringComparison.OrdinalIgnoreCase));
                    if (row is null)
                    {
                        return true;
                    }

                    known = true;
                    await on.ExecuteAsync(drop, DropTimeout, null, timeout.Token).ConfigureAwait(false);
                    var state = row.String("state_desc") ?? "state unknown";
                    actions.Add(new ActionRecord(ActionKind.Verify, target, ActionOutcome.Done, site.ServerName is null
                        ? $"test-restore copy [{copy}] ({state}) dropped after the {how} restore"
                        : $"scratch database [{copy}] ({state}) dropped on {site.ServerName} after the {how} restore"));
                    return true;
                }

                await on.ExecuteAsync(drop, DropTimeout, null, timeout.Token).ConfigureAwait(false);
                actions.Add(new ActionRecord(ActionKind.Verify, target, ActionOutcome.Done,
                    site.ServerName is null ? "test-restore copy dropped" : $"scratch database [{copy}] dropped on {site.ServerName}"));
                return true;
            }
            catch (Exception ex) when (ex is SqlSessionException or OperationCanceledException or InvalidOperationException)
            {
                // A connection the failure broke (InvalidOperationException from the client) is reported too, never thrown past the report.
                failure = ex;
                if (ex is SqlSessionException { Number: > 0 })
                {
                    // The server answered and refused: a fresh session would be refused too.
                    break;
                }
            }
            finally
            {
                if (fresh is not null)
                {
                    await fresh.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        // Still there when it was restored or listed; after a failed RESTORE whose copy could not be looked up, maybe.
        var there = known ? "it is still there (RESTORING or ONLINE) and uses disk" : $"it may still be there after the {how} restore and use disk";
        actions.Add(new ActionRecord(ActionKind.Verify, target, ActionOutcome.Failed, site.ServerName is null
            ? $"the test-restore copy [{copy}] could not be dropped: {failure?.Message}; {there} — drop it by hand: {drop}"
            : $"the scratch database [{copy}] on {site.ServerName} could not be dropped: {failure?.Message}; {there} — drop it by hand on {site.ServerName}: {drop}"));
        return false;
    }
}
