using System.Globalization;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Requirements;

/// <summary>The SQL Server that hosts the Orchestrator database is a release and edition the target supports.</summary>
public sealed class SqlServerVersionCheck : ICheck
{
    public string Id => "requirements.sql-version";
    public string Title => "SQL Server version and edition are supported by the target";
    public Prerequisite Prerequisite => Prerequisite.Requirements;
    public CheckScope Scope => CheckScope.Environment;
    public IReadOnlySet<HostRole> Roles => RequirementRoles.Every;

    public async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sql is null)
        {
            return CheckOutcome.Skipped("not configured: the environment has no sql: section.");
        }

        var table = RequirementTable.For(context.Target);
        await using var session = await context.Sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        var server = await SqlServerFacts.ReadAsync(session, cancellationToken).ConfigureAwait(false);
        var release = SqlServerRelease.For(server.ProductVersion);
        var evidence = new Evidence(
            $"{context.Sql.Description}: SERVERPROPERTY",
            $"ProductVersion {server.ProductVersion}, ProductLevel {server.ProductLevel ?? "?"}, Edition \"{server.Edition}\", EngineEdition {server.EngineEdition} ({server.EngineEditionName})");
        var level = context.TargetLevel;
        var supported = string.Join(", ", [
            .. table.SupportedSqlServers.Select(r => r.Name),
            .. table.SqlServersAddedByUpdates.Select(a => a.SinceRollup is { } since
                ? $"{a.Release.Name} from {table.Name} UR{since.ToString(CultureInfo.InvariantCulture)} on"
                : $"{a.Release.Name} with a later {table.Name} update")]);
        var remediation = $"Move the Orchestrator database to {supported} before the upgrade (back it up, restore it on the new server, point Orchestrator at it). Source: {table.Cite}.";
        var added = table.SqlServersAddedByUpdates.FirstOrDefault(a => a.Release == release);

        if (release is null || (!table.SupportedSqlServers.Contains(release) && added is null))
        {
            return CheckOutcome.Unmet(
                $"{release?.Name ?? $"SQL Server {server.ProductVersion}"} is not supported by Orchestrator {level.Name}; it supports {supported}.{table.UnconfirmedNote}",
                remediation,
                evidence);
        }

        if (added is { SinceRollup: { } since } && !level.Includes(since))
        {
            return CheckOutcome.Unmet(
                $"{release.Name} is supported by Orchestrator {table.Name} from UR{since.ToString(CultureInfo.InvariantCulture)} on; the target level {level.Name} predates it.",
                $"Target {table.Name} UR{since.ToString(CultureInfo.InvariantCulture)} or later (install that update right after the upgrade), or {remediation}",
                evidence);
        }

        if (added is { SinceRollup: null } && level != TargetLevels.Latest(context.Target))
        {
            return CheckOutcome.Warning(
                $"{release.Name} is supported by a {table.Name} update ({added.Source}); which update added it is unconfirmed, so whether the target level {level.Name} includes it is not known to orchprep.",
                $"Confirm on the {table.Name} what's-new page that {level.Name} supports {release.Name}, or target the newest {table.Name} update. Source: {table.Cite}.",
                evidence);
        }

        if (server.EngineEdition is not (2 or 3 or 4))
        {
            return CheckOutcome.Unmet(
                $"{server.EngineEditionName} is not a SQL Server Database Engine instance; Orchestrator needs the Database Engine.",
                remediation,
                evidence);
        }

        if (release == SqlServerRelease.Sql2008R2 && table.MinimumSql2008R2ServicePack is { } sp
            && string.Equals(server.ProductLevel, "RTM", StringComparison.OrdinalIgnoreCase))
        {
            return CheckOutcome.Unmet($"SQL Server 2008 R2 RTM; Orchestrator {table.Name} needs SP{sp} or later.", $"Install SQL Server 2008 R2 SP{sp} or later. Source: {table.Cite}.", evidence);
        }

        if (table.DisputedSqlServers.Contains(release))
        {
            return CheckOutcome.Warning(
                $"{release.Name}: Orchestrator {table.Name}'s requirements page lists it in one place and not in another; confirm support before the upgrade.",
                $"Check the current system requirements page for Orchestrator {table.Name}. Source: {table.Cite}.",
                evidence);
        }

        if (server.EngineEdition == 4)
        {
            return CheckOutcome.Warning(
                $"{release.Name} Express: the database is limited to 10 GB and backups cannot be compressed.",
                "Plan for the size limit; prefer Standard or Enterprise for production Orchestrator databases.",
                evidence);
        }

        return CheckOutcome.Met($"{release.Name} {server.Edition} is supported by Orchestrator {level.Name}.{table.UnconfirmedNote}", evidence);
    }
}
