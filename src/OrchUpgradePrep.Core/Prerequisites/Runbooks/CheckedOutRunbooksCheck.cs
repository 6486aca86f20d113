using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>
/// Runbooks checked out in Runbook Designer: their pending changes live in the Designer, not in the database, so the
/// backup does not hold them and the upgrade may lose them. The columns that mark a check-out are UNCONFIRMED
/// (community queries read POLICIES.CheckOutUser / CheckOutTime; the web service's Runbook entity has CheckedOutBy /
/// CheckedOutTime): the check first asks INFORMATION_SCHEMA for them, and without them it cannot tell (error), never met.
/// </summary>
public sealed class CheckedOutRunbooksCheck : ICheck
{
    public const string CheckedOutQuery =
        "SELECT UniqueID, ParentID, Name, CheckOutUser, CheckOutTime FROM dbo.POLICIES WHERE CheckOutUser IS NOT NULL";

    private static readonly string[] Columns = ["UniqueID", "ParentID", "Name", "CheckOutUser", "CheckOutTime"];

    public string Id => "runbooks.checked-out";
    public string Title => "No runbook is checked out in Runbook Designer";
    public Prerequisite Prerequisite => Prerequisite.Runbooks;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles { get; } = new HashSet<HostRole>();

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null)
        {
            return CheckOutcome.Skipped("not configured: check-outs are read from the database, and the environment has no sql: section.");
        }

        var source = $"{context.Sql.Description}: dbo.POLICIES";
        try
        {
            await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
            var tables = await OrchestratorTables.ReadAsync(session, cancellationToken).ConfigureAwait(false);
            var missing = tables.Missing("POLICIES", Columns);
            if (missing.Count > 0)
            {
                return CheckOutcome.Error(
                    $"Cannot tell whether a runbook is checked out: {string.Join(", ", missing)} not found. The check-out columns are UNCONFIRMED " +
                    "(community queries name POLICIES.CheckOutUser and CheckOutTime); this Orchestrator version may name them otherwise.",
                    new Evidence($"{context.Sql.Description}: INFORMATION_SCHEMA.COLUMNS", tables.Describe("POLICIES")));
            }

            var rows = await session.QueryAsync(CheckedOutQuery, null, cancellationToken).ConfigureAwait(false);
            var checkedOut = rows.Where(r => !string.IsNullOrWhiteSpace(r.String("CheckOutUser"))).ToList();
            if (checkedOut.Count == 0)
            {
                return CheckOutcome.Met("No runbook is checked out (UNCONFIRMED column POLICIES.CheckOutUser is empty on every runbook).", new Evidence(source, "CheckOutUser IS NULL on every row"));
            }

            var (paths, foldersKnown) = await tables.ReadRunbookPathsAsync(session, cancellationToken).ConfigureAwait(false);
            var evidence = checkedOut.Select(r =>
            {
                var id = OrchestratorTables.AsGuid(r["UniqueID"]);
                var path = id is { } known && paths.TryGetValue(known, out var p) ? p : "\\" + (r.String("Name") ?? "?");
                return new Evidence(source, $"{path}: checked out by {r.String("CheckOutUser")} at {OrchestratorTables.AsTime(r["CheckOutTime"]) ?? "(no time)"}");
            }).ToList();
            if (!foldersKnown)
            {
                evidence.Add(new Evidence($"{context.Sql.Description}: INFORMATION_SCHEMA.COLUMNS", tables.Describe("FOLDERS") + "; runbooks are named without their folder"));
            }

            return CheckOutcome.Unmet(
                $"{checkedOut.Count} runbook(s) checked out in Runbook Designer: their pending changes are not in the database, so the backup does not hold them.",
                "In Runbook Designer, check in each runbook (or undo its check-out) before the backup is taken; the user named here holds the changes. " +
                "Run orchprep again to confirm.",
                [.. evidence]);
        }
        catch (SqlSessionException ex)
        {
            return CheckOutcome.Error($"The check-outs could not be read: {ex.Message}", new Evidence(source, ex.Number == 229 ? "permission denied (Msg 229)" : $"Msg {ex.Number}"));
        }
    }
}
