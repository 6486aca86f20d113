using System.Globalization;
using System.Text;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>How much orchprep needs a grant: without a required one a prepare step fails; without an optional one
/// prepare leaves that part to the administrator and warns.</summary>
public enum GrantNeed
{
    Required,
    Optional,
}

/// <summary>
/// One grant of docs/sql-permissions.md's script, as HAS_PERMS_BY_NAME asks for it
/// (https://learn.microsoft.com/sql/t-sql/functions/has-perms-by-name-transact-sql) and as the statement that grants it.
/// <paramref name="Securable"/> is null for a server permission; <paramref name="Statement"/> holds {login} where the login goes.
/// </summary>
public sealed record LoginGrant(string Column, string? Securable, string SecurableClass, string Permission, string Database, string Statement, string NeededFor, GrantNeed Need)
{
    /// <summary>The T-SQL that grants it to <paramref name="login"/>, with the USE it needs.</summary>
    public string GrantFor(string login) =>
        $"USE {TSql.Identifier(Database)}; " + Statement
            .Replace("{login}", TSql.Identifier(login), StringComparison.Ordinal)
            .Replace("{login-string}", TSql.String(login), StringComparison.Ordinal);
}

/// <summary>
/// Every grant orchprep's statements need from a least-privilege login (docs/sql-permissions.md), asked in one SELECT of
/// HAS_PERMS_BY_NAME calls, so check mode names a missing grant before prepare runs into it. The Orchestrator database's
/// objects are asked by three-part name; msdb's user by CONNECT on msdb.
/// </summary>
public static class LoginGrants
{
    public const string RuntimeSchema = "Microsoft.SystemCenter.Orchestrator.Runtime";
    public const string InternalSchema = "Microsoft.SystemCenter.Orchestrator.Runtime.Internal";

    /// <summary>The grants, in the order of the script.</summary>
    public static IReadOnlyList<LoginGrant> For(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return
        [
            new("create_any_database", null, "SERVER", "CREATE ANY DATABASE", "master", "GRANT CREATE ANY DATABASE TO {login};",
                "RESTORE VERIFYONLY/HEADERONLY/FILELISTONLY and the test restore", GrantNeed.Required),
            new("view_server_state", null, "SERVER", "VIEW SERVER STATE", "master", "GRANT VIEW SERVER STATE TO {login};",
                "free space of the backup volume (sys.dm_os_volume_stats)", GrantNeed.Optional),
            new("backup_database", database, "DATABASE", "BACKUP DATABASE", database, "EXEC sp_addrolemember N'db_backupoperator', {login-string};",
                "BACKUP DATABASE", GrantNeed.Required),
            Select(database, RuntimeSchema, "Jobs", "the runbook jobs query"),
            Select(database, "dbo", "POLICIES", "the runbook jobs query"),
            Select(database, "dbo", "POLICYINSTANCES", "the runbook jobs query"),
            Select(database, "dbo", "ACTIONSERVERS", "the runbook jobs query"),
            Select(database, "dbo", "POLICY_REQUEST_HISTORY", "the runbook jobs query"),
            Select(database, "dbo", "FOLDERS", "runbook paths (runbooks.checked-out, requirements.integration-packs)"),
            Select(database, "dbo", "CAPS", "the registered integration packs (requirements.integration-packs)"),
            Select(database, "dbo", "OBJECTTYPES", "which pack each activity type comes from (requirements.integration-packs)"),
            Select(database, "dbo", "OBJECTS", "which runbooks use each pack (requirements.integration-packs)"),
            Execute(database, RuntimeSchema, "CancelJob", "stopping a runbook job when the web service cannot"),
            Execute(database, InternalSchema, "ClearOrphanedRunbookInstances", "clearing orphaned runbook instances"),
            new("msdb_user", "msdb", "DATABASE", "CONNECT", "msdb", "CREATE USER {login} FOR LOGIN {login};",
                "reading msdb's backup history", GrantNeed.Required),
            Select("msdb", "dbo", "backupset", "msdb's backup history"),
            Select("msdb", "dbo", "backupmediafamily", "msdb's backup history"),
        ];
    }

    /// <summary>SUSER_SNAME() (the login as SQL Server knows it) and one HAS_PERMS_BY_NAME column per grant.</summary>
    public static string Query(IReadOnlyList<LoginGrant> grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var sql = new StringBuilder("SELECT SUSER_SNAME() AS login_name");
        foreach (var grant in grants)
        {
            sql.Append(CultureInfo.InvariantCulture, $", HAS_PERMS_BY_NAME({(grant.Securable is null ? "NULL" : TSql.String(grant.Securable))}, ")
                .Append(grant.Securable is null ? "NULL" : TSql.String(grant.SecurableClass))
                .Append(CultureInfo.InvariantCulture, $", {TSql.String(grant.Permission)}) AS {grant.Column}");
        }

        return sql.ToString();
    }

    /// <summary>The grants the row says the login lacks (0 or NULL: NULL when it cannot even open the database).</summary>
    public static IReadOnlyList<LoginGrant> Missing(IReadOnlyList<LoginGrant> grants, SqlRow row)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(row);
        return [.. grants.Where(g => !row.Flag(g.Column))];
    }

    /// <summary>"SELECT on [msdb].[dbo].[backupset]", "BACKUP DATABASE on [Orchestrator]", "VIEW SERVER STATE".</summary>
    public static string Describe(LoginGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.SecurableClass switch
        {
            "SERVER" => grant.Permission,
            "DATABASE" when grant.Permission == "CONNECT" => $"a user in [{grant.Database}]",
            "DATABASE" => $"{grant.Permission} on [{grant.Database}]",
            _ => $"{grant.Permission} on {grant.Securable}",
        };
    }

    private static LoginGrant Select(string database, string schema, string name, string neededFor) => Object(database, schema, name, "SELECT", neededFor);

    private static LoginGrant Execute(string database, string schema, string name, string neededFor) => Object(database, schema, name, "EXECUTE", neededFor);

    private static LoginGrant Object(string database, string schema, string name, string permission, string neededFor) => new(
        $"{permission.ToLowerInvariant()}_{(database == "msdb" ? "msdb_" : string.Empty)}{name.ToLowerInvariant()}",
        $"{TSql.Identifier(database)}.{TSql.Identifier(schema)}.{TSql.Identifier(name)}",
        "OBJECT",
        permission,
        database,
        $"GRANT {permission} ON OBJECT::{TSql.Identifier(schema)}.{TSql.Identifier(name)} TO {{login}};",
        neededFor,
        GrantNeed.Required);
}
