using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// What a login may do on the simulated instance, decided as SQL Server decides it from <see cref="SandboxPrincipals"/>,
/// and the errors it answers when it may not. sysadmin bypasses every check; CONTROL SERVER implies every server
/// permission and CONTROL of every database; the owner of a database is dbo there.
/// Sources (Microsoft Learn):
/// server roles https://learn.microsoft.com/sql/relational-databases/security/authentication-access/server-level-roles;
/// database roles https://learn.microsoft.com/sql/relational-databases/security/authentication-access/database-level-roles;
/// the permission hierarchy https://learn.microsoft.com/sql/relational-databases/security/permissions-hierarchy-database-engine;
/// BACKUP "permissions default to members of the sysadmin fixed server role and the db_owner and db_backupoperator fixed
/// database roles" https://learn.microsoft.com/sql/t-sql/statements/backup-transact-sql#permissions;
/// RESTORE "If the database does not exist, CREATE DATABASE permissions are required", and VERIFYONLY / HEADERONLY /
/// FILELISTONLY need CREATE DATABASE since SQL Server 2008 https://learn.microsoft.com/sql/t-sql/statements/restore-statements-transact-sql#permissions,
/// https://learn.microsoft.com/sql/t-sql/statements/restore-statements-verifyonly-transact-sql;
/// DBCC CHECKDB "Requires membership in the sysadmin fixed server role or the db_owner fixed database role"
/// https://learn.microsoft.com/sql/t-sql/database-console-commands/dbcc-checkdb-transact-sql#permissions;
/// DROP DATABASE "CONTROL permission on the database, or ALTER ANY DATABASE permission, or membership in the db_owner
/// fixed database role" https://learn.microsoft.com/sql/t-sql/statements/drop-database-transact-sql#permissions;
/// sys.dm_os_volume_stats needs VIEW SERVER STATE
/// https://learn.microsoft.com/sql/relational-databases/system-dynamic-management-views/sys-dm-os-volume-stats-transact-sql#permissions;
/// BACKUP SERVICE MASTER KEY needs CONTROL SERVER https://learn.microsoft.com/sql/t-sql/statements/backup-service-master-key-transact-sql;
/// HAS_PERMS_BY_NAME https://learn.microsoft.com/sql/t-sql/functions/has-perms-by-name-transact-sql.
/// </summary>
public sealed class SandboxPermissions(SandboxPrincipals principals)
{
    /// <summary>The fixed database roles and the database permissions each holds (database-level roles page).</summary>
    private static readonly Dictionary<string, string[]> FixedDatabaseRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["db_backupoperator"] = ["BACKUP DATABASE", "BACKUP LOG", "CHECKPOINT"],
        ["db_datareader"] = ["SELECT"],
        ["db_datawriter"] = ["INSERT", "UPDATE", "DELETE"],
        ["db_securityadmin"] = ["ALTER ANY ROLE", "ALTER ANY APPLICATION ROLE", "CREATE SCHEMA", "VIEW DEFINITION"],
    };

    /// <summary>The fixed server roles and the server permissions each holds (server-level roles page); sysadmin has all.</summary>
    private static readonly Dictionary<string, string[]> FixedServerRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dbcreator"] = ["CREATE ANY DATABASE", "ALTER ANY DATABASE"],
        ["serveradmin"] = ["ALTER ANY ENDPOINT", "ALTER RESOURCES", "ALTER SERVER STATE", "ALTER SETTINGS", "SHUTDOWN", "VIEW SERVER STATE"],
        ["securityadmin"] = ["ALTER ANY LOGIN"],
        ["processadmin"] = ["ALTER ANY CONNECTION", "ALTER SERVER STATE"],
    };

    /// <summary>Server permissions that imply another (permissions hierarchy: ALTER implies VIEW / CREATE of the same class).</summary>
    private static readonly Dictionary<string, string[]> ImpliedServerPermissions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ALTER ANY DATABASE"] = ["CREATE ANY DATABASE"],
        ["ALTER SERVER STATE"] = ["VIEW SERVER STATE"],
    };

    public static SandboxPermissions For(SandboxSqlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new SandboxPermissions(profile.SecurityScript is { } script
            ? SandboxPrincipals.FromScript(SandboxPermissionScript.Parse(script))
            : SandboxPrincipals.FromFlags(profile));
    }

    public SandboxPrincipals Principals => principals;

    public bool IsSysadmin(string login) => principals.Login(login) is { } known && known.ServerRoles.Contains("sysadmin");

    public bool HasServerPermission(string login, string permission)
    {
        if (principals.Login(login) is not { } known)
        {
            return false;
        }

        if (known.ServerRoles.Contains("sysadmin") || known.ServerPermissions.Contains("CONTROL SERVER"))
        {
            return true;
        }

        var held = known.ServerPermissions
            .Concat(known.ServerRoles.SelectMany(r => FixedServerRoles.GetValueOrDefault(r) ?? []))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return held.Contains(permission) || held.Any(h => ImpliedServerPermissions.GetValueOrDefault(h)?.Contains(permission, StringComparer.OrdinalIgnoreCase) == true);
    }

    /// <summary>May the login open the database (a user there, dbo, sysadmin, CONTROL SERVER, or master's guest)?</summary>
    public bool MayAccess(string login, string database) => Access(login, database) is not null;

    /// <summary>USE, a login's initial catalog or a three-part name: Msg 916 when the login has no way into the database.</summary>
    public void DemandAccess(string login, string database)
    {
        if (!MayAccess(login, database))
        {
            throw new SqlErrorException(916, 14, 1, $"The server principal \"{login}\" is not able to access the database \"{database}\" under the current security context.");
        }
    }

    public bool HasDatabasePermission(string login, string database, string permission)
    {
        if (string.Equals(database, "master", StringComparison.OrdinalIgnoreCase) && string.Equals(permission, "CREATE DATABASE", StringComparison.OrdinalIgnoreCase)
            && HasServerPermission(login, "CREATE ANY DATABASE"))
        {
            return true;
        }

        return Access(login, database) switch
        {
            null => false,
            { IsDbo: true } => true,
            { User: var user } => principals.IsRoleMember(user, database, "db_owner")
                || principals.HasDatabaseGrant(principals.PrincipalsOf(user, database), database, "CONTROL")
                || principals.HasDatabaseGrant(principals.PrincipalsOf(user, database), database, permission)
                || principals.PrincipalsOf(user, database).Any(role => FixedDatabaseRoles.GetValueOrDefault(role)?.Contains(permission, StringComparer.OrdinalIgnoreCase) == true),
        };
    }

    /// <summary>SELECT / EXECUTE … on schema.name: the database-wide permission (or a role that holds it) or a grant on the object.</summary>
    public bool HasObjectPermission(string login, string database, string schema, string name, string permission) =>
        HasDatabasePermission(login, database, permission)
        || (Access(login, database) is { User: var user } && principals.HasObjectGrant(principals.PrincipalsOf(user, database), database, schema, name, permission));

    /// <summary>916 without access to the database, else 229 "The SELECT permission was denied on the object …" (severity 14, state 5).</summary>
    public void DemandObject(string login, string database, string schema, string name, string permission)
    {
        DemandAccess(login, database);
        if (!HasObjectPermission(login, database, schema, name, permission))
        {
            throw new SqlErrorException(229, 14, 5, $"The {permission} permission was denied on the object '{name}', database '{database}', schema '{schema}'.");
        }
    }

    public bool MayBackup(string login, string database) => HasDatabasePermission(login, database, "BACKUP DATABASE");

    /// <summary>RESTORE of a database that does not exist, and VERIFYONLY / HEADERONLY / FILELISTONLY.</summary>
    public bool MayCreateDatabase(string login) =>
        HasServerPermission(login, "CREATE ANY DATABASE") || HasDatabasePermission(login, "master", "CREATE DATABASE");

    /// <summary>DBCC CHECKDB: sysadmin or db_owner. UNCONFIRMED message: Microsoft's page names the permission, not the
    /// error; 2571 "User '…' does not have permission to run DBCC CHECKDB for database '…'." is what servers are seen to send.</summary>
    public void DemandCheckDb(string login, string database)
    {
        var access = Access(login, database);
        if (access is null || !(access.IsDbo || principals.IsRoleMember(access.User, database, "db_owner")))
        {
            var user = access?.User ?? "guest";
            throw new SqlErrorException(2571, 14, 3, $"User '{user}' does not have permission to run DBCC CHECKDB for database '{database}'.");
        }
    }

    /// <summary>DROP DATABASE: CONTROL on it, ALTER ANY DATABASE, or db_owner; else 3701 as SQL Server words it.</summary>
    public void DemandDrop(string login, string database)
    {
        if (!HasServerPermission(login, "ALTER ANY DATABASE") && !HasDatabasePermission(login, database, "CONTROL"))
        {
            throw new SqlErrorException(3701, 14, 1, $"Cannot drop the database '{database}', because it does not exist or you do not have permission.");
        }
    }

    /// <summary>BACKUP SERVICE MASTER KEY / BACKUP MASTER KEY without CONTROL SERVER: 15247.</summary>
    public void DemandControlServer(string login)
    {
        if (!HasServerPermission(login, "CONTROL SERVER"))
        {
            throw new SqlErrorException(15247, 16, 1, "User does not have permission to perform this action.");
        }
    }

    /// <summary>sys.dm_os_volume_stats without VIEW SERVER STATE: 300 then 297, as SQL Server sends them.</summary>
    public async Task DemandViewServerStateAsync(string login, ITdsResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!HasServerPermission(login, "VIEW SERVER STATE"))
        {
            await response.SendErrorAsync(300, 1, 14, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.", cancellationToken);
            throw new SqlErrorException(297, 16, 1, "The user does not have permission to perform this action.");
        }
    }

    /// <summary>The login created the database (RESTORE under a new name): it owns it and is dbo there.</summary>
    public void Created(string database, string login) => principals.Created(database, login);

    public void Dropped(string database) => principals.Dropped(database);

    /// <summary>
    /// IS_SRVROLEMEMBER('role') and HAS_PERMS_BY_NAME(securable, class, permission) with their argument forms:
    /// (NULL, NULL, 'VIEW SERVER STATE'), (N'Orchestrator', 'DATABASE', 'BACKUP DATABASE'),
    /// ('msdb.dbo.backupset', 'OBJECT', 'SELECT'), ('[db].[schema].[name]', 'OBJECT', 'EXECUTE'); arguments may be @parameters.
    /// An OBJECT in a database the login cannot open answers NULL (UNCONFIRMED: the page says NULL when the query fails).
    /// </summary>
    public int? Evaluate(string function, IReadOnlyList<string?> args, SqlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(args);
        var login = request.Session.Login;
        if (string.Equals(function, "IS_SRVROLEMEMBER", StringComparison.OrdinalIgnoreCase))
        {
            return args.Count > 0 && args[0] is { } role && principals.Login(login) is { } known
                ? (known.ServerRoles.Contains(role) || known.ServerRoles.Contains("sysadmin") && role.Equals("sysadmin", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
                : 0;
        }

        if (args.Count < 3 || args[2] is not { } permission)
        {
            throw new SqlErrorException(174, 15, 1, "The has_perms_by_name function requires 3 to 5 argument(s).");
        }

        permission = permission.ToUpperInvariant();
        var securableClass = args[1]?.ToUpperInvariant();
        if (securableClass is null or "SERVER")
        {
            return HasServerPermission(login, permission) ? 1 : 0;
        }

        if (securableClass == "DATABASE")
        {
            var database = args[0] ?? request.Session.Database;
            return permission == "CONNECT" ? (MayAccess(login, database) ? 1 : 0) : HasDatabasePermission(login, database, permission) ? 1 : 0;
        }

        if (securableClass == "OBJECT" && args[0] is { } securable)
        {
            var parts = NameParts(securable);
            var (database, schema, name) = parts.Count switch
            {
                >= 3 => (parts[^3], parts[^2], parts[^1]),
                2 => (request.Session.Database, parts[0], parts[1]),
                _ => (request.Session.Database, "dbo", parts[0]),
            };
            return MayAccess(login, database) ? (HasObjectPermission(login, database, schema, name, permission) ? 1 : 0) : null;
        }

        return 0;
    }

    private SandboxAccess? Access(string login, string database)
    {
        if (principals.Login(login) is not { } known)
        {
            return null;
        }

        if (known.ServerRoles.Contains("sysadmin") || known.ServerPermissions.Contains("CONTROL SERVER")
            || string.Equals(principals.OwnerOf(database), login, StringComparison.OrdinalIgnoreCase))
        {
            return new SandboxAccess(true, "dbo");
        }

        if (principals.UserOf(known, database) is { } user)
        {
            return new SandboxAccess(false, user);
        }

        // master's guest cannot be disabled, so every login can use master (and nothing more there by default).
        // msdb's guest is enabled on a default install too; the sandbox models it as disabled (UNCONFIRMED difference:
        // a real server answers 229 on msdb.dbo.backupset instead of 916 to a login without a user in msdb).
        return string.Equals(database, "master", StringComparison.OrdinalIgnoreCase) ? new SandboxAccess(false, "guest") : null;
    }

    /// <summary>db.schema.name with [bracketed] parts that may hold dots.</summary>
    private static List<string> NameParts(string name)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var bracketed = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (bracketed && c == ']' && i + 1 < name.Length && name[i + 1] == ']')
            {
                current.Append(']');
                i++;
            }
            else if (c == '[' && !bracketed)
            {
                bracketed = true;
            }
            else if (c == ']' && bracketed)
            {
                bracketed = false;
            }
            else if (c == '.' && !bracketed)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private sealed record SandboxAccess(bool IsDbo, string User);
}
