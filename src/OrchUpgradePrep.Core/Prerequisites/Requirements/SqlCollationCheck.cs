using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>The Orchestrator database (and its instance) use the collation every Orchestrator version requires;
/// the recovery model is noted for the backup plan.</summary>
public sealed class SqlCollationCheck : ICheck
{
    public const string DatabaseQuery =
        "SELECT name, collation_name, recovery_model_desc, state_desc FROM sys.databases WHERE name = @database";

    public string Id => "requirements.sql-collation";
    public string Title => "Orchestrator database collation is SQL_Latin1_General_CP1_CI_AS";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null || context.Environment.Sql is not { } config)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var table = RequirementTable.For(context.Target);
        await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        var server = await SqlServerFacts.ReadAsync(session, cancellationToken).ConfigureAwait(false);
        var rows = await session.QueryAsync(DatabaseQuery, new Dictionary<string, object?> { ["@database"] = config.Database }, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return CheckOutcome.Error(
                $"Database '{config.Database}' does not exist on {context.Sql.Description} (or the login cannot see it).",
                new Evidence($"{context.Sql.Description}: sys.databases", $"no row for '{config.Database}'"));
        }

        var database = rows[0];
        var collation = database.String("collation_name");
        Evidence[] evidence =
        [
            new($"{context.Sql.Description}: sys.databases", $"{config.Database}: collation {collation}, recovery model {database.String("recovery_model_desc")}, state {database.String("state_desc")}"),
            new($"{context.Sql.Description}: SERVERPROPERTY('Collation')", server.ServerCollation ?? "(unknown)"),
        ];

        if (!string.Equals(collation, table.Collation, StringComparison.OrdinalIgnoreCase))
        {
            return CheckOutcome.Unmet(
                $"Database '{config.Database}' uses {collation}; Orchestrator requires {table.Collation}.",
                $"Orchestrator supports only {table.Collation}: move the database to an instance and database with that collation (changing a database's collation in place does not convert existing columns). Source: {table.Cite}.",
                evidence);
        }

        if (!string.Equals(server.ServerCollation, table.Collation, StringComparison.OrdinalIgnoreCase))
        {
            return CheckOutcome.Warning(
                $"The database uses {table.Collation} but the instance uses {server.ServerCollation}; temporary tables take the instance collation.",
                $"Prefer an instance with {table.Collation}. Source: {table.Cite}.",
                evidence);
        }

        return CheckOutcome.Met($"Database '{config.Database}' and its instance use {table.Collation}.", evidence);
    }
}
