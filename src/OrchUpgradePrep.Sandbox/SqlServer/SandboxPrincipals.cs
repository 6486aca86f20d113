namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// Who exists on the simulated instance and what was granted to whom: logins with their fixed server roles and server
/// permissions, and per database the users (FOR LOGIN), their role memberships and their database and object grants,
/// plus the owner of each database a login created (a test restore's copy). Built from a permission script
/// (<see cref="SandboxPermissionScript"/>) or from a profile's coarse flags; one per engine, changed only by RESTORE
/// (a new owner) and DROP DATABASE. What the roles and grants imply is <see cref="SandboxPermissions"/>' business.
/// </summary>
public sealed class SandboxPrincipals
{
    /// <summary>A catalog built from the coarse flags stands for whichever login connects (the sandbox's single SQL login).</summary>
    public const string AnyLogin = "*";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxLogin> _logins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SandboxDatabasePrincipals> _databases = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _owners = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _refused = [];

    /// <summary>Statements of the script SQL Server would have refused (e.g. a GRANT to a user that was never created: Msg 15151).</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_gate)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>Runs each statement as SQL Server would, in order; one that names a missing login or user is recorded in
    /// <see cref="Refused"/> and skipped (a batch goes on after such a statement-level error).</summary>
    public static SandboxPrincipals FromScript(IEnumerable<SandboxSecurityStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var principals = new SandboxPrincipals();
        foreach (var statement in statements)
        {
            principals.Apply(statement);
        }

        return principals;
    }

    /// <summary>The coarse flags of a profile as grants to <see cref="AnyLogin"/>: a user in each system and the
    /// Orchestrator database with SELECT (db_datareader) and EXECUTE, which earlier sandboxes never checked;
    /// IsSysadmin → sysadmin; CanBackup → db_backupoperator; CanCreateDatabase → CREATE ANY DATABASE;
    /// CanControlServer → CONTROL SERVER; HasViewServerState → VIEW SERVER STATE.</summary>
    public static SandboxPrincipals FromFlags(SandboxSqlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var principals = new SandboxPrincipals();
        var login = new SandboxLogin(AnyLogin);
        principals._logins[AnyLogin] = login;
        if (profile.IsSysadmin)
        {
            login.ServerRoles.Add("sysadmin");
        }

        foreach (var (granted, permission) in new[]
                 {
                     (profile.CanCreateDatabase, "CREATE ANY DATABASE"), (profile.CanControlServer, "CONTROL SERVER"), (profile.HasViewServerState, "VIEW SERVER STATE"),
                 })
        {
            if (granted)
            {
                login.ServerPermissions.Add(permission);
            }
        }

        foreach (var name in new[] { profile.DatabaseName, "master", "msdb" })
        {
            var database = principals.DatabaseOf(name);
            database.Users[AnyLogin] = AnyLogin;
            database.Members(AnyLogin).Add("db_datareader");
            database.DatabaseGrants(AnyLogin).Add("EXECUTE");
            if (profile.CanBackup && string.Equals(name, profile.DatabaseName, StringComparison.OrdinalIgnoreCase))
            {
                database.Members(AnyLogin).Add("db_backupoperator");
            }
        }

        return principals;
    }

    /// <summary>The catalog's name for a connected login: itself, or <see cref="AnyLogin"/> in a flags catalog; null when unknown.</summary>
    internal SandboxLogin? Login(string name)
    {
        lock (_gate)
        {
            return _logins.GetValueOrDefault(name) ?? _logins.GetValueOrDefault(AnyLogin);
        }
    }

    /// <summary>The user a login is in a database (by CREATE USER … FOR LOGIN), or null.</summary>
    internal string? UserOf(SandboxLogin login, string database)
    {
        lock (_gate)
        {
            return _databases.TryGetValue(database, out var principals) ? principals.Users.FirstOrDefault(u => string.Equals(u.Value, login.Name, StringComparison.OrdinalIgnoreCase)).Key : null;
        }
    }

    /// <summary>The user and every role it belongs to (fixed or not), with public: who grants count for.</summary>
    internal IReadOnlyList<string> PrincipalsOf(string user, string database)
    {
        lock (_gate)
        {
            var roles = _databases.TryGetValue(database, out var principals) && principals.RoleMembers.TryGetValue(user, out var memberOf) ? memberOf.ToList() : [];
            return [user, "public", .. roles];
        }
    }

    internal bool IsRoleMember(string user, string database, string role)
    {
        lock (_gate)
        {
            return _databases.TryGetValue(database, out var principals) && principals.RoleMembers.TryGetValue(user, out var memberOf) && memberOf.Contains(role);
        }
    }

    internal bool HasDatabaseGrant(IEnumerable<string> principals, string database, string permission)
    {
        lock (_gate)
        {
            return _databases.TryGetValue(database, out var catalog)
                && principals.Any(p => catalog.Grants.TryGetValue(p, out var grants) && grants.Contains(permission));
        }
    }

    internal bool HasObjectGrant(IEnumerable<string> principals, string database, string schema, string name, string permission)
    {
        lock (_gate)
        {
            return _databases.TryGetValue(database, out var catalog)
                && principals.Any(p => catalog.ObjectGrants.Contains((p, schema + "." + name, permission)));
        }
    }

    internal string? OwnerOf(string database)
    {
        lock (_gate)
        {
            return _owners.GetValueOrDefault(database);
        }
    }

    /// <summary>A database the login created (RESTORE of a new name): its owner is that login, which makes it dbo there.</summary>
    internal void Created(string database, string login)
    {
        lock (_gate)
        {
            _owners[database] = login;
        }
    }

    internal void Dropped(string database)
    {
        lock (_gate)
        {
            _owners.Remove(database);
        }
    }

    private void Apply(SandboxSecurityStatement statement)
    {
        lock (_gate)
        {
            switch (statement.Verb)
            {
                case SandboxSecurityVerb.Use:
                    break;
                case SandboxSecurityVerb.CreateLogin:
                    _logins.TryAdd(statement.Principal, new SandboxLogin(statement.Principal));
                    break;
                case SandboxSecurityVerb.AddServerRoleMember when _logins.TryGetValue(statement.Principal, out var member):
                    member.ServerRoles.Add(statement.What!);
                    break;
                case SandboxSecurityVerb.GrantServer when _logins.TryGetValue(statement.Principal, out var grantee):
                    grantee.ServerPermissions.Add(statement.What!);
                    break;
                case SandboxSecurityVerb.CreateUser when _logins.ContainsKey(statement.What!):
                    DatabaseOf(statement.Database).Users[statement.Principal] = statement.What!;
                    break;
                case SandboxSecurityVerb.AddRoleMember when HasUser(statement.Database, statement.Principal):
                    DatabaseOf(statement.Database).Members(statement.Principal).Add(statement.What!);
                    break;
                case SandboxSecurityVerb.GrantDatabase when HasUser(statement.Database, statement.Principal):
                    DatabaseOf(statement.Database).DatabaseGrants(statement.Principal).Add(statement.What!);
                    break;
                case SandboxSecurityVerb.GrantObject when HasUser(statement.Database, statement.Principal):
                    DatabaseOf(statement.Database).ObjectGrants.Add((statement.Principal, statement.Securable!, statement.What!));
                    break;
                default:
                    // Msg 15151 "Cannot find the user/login …, because it does not exist or you do not have permission."
                    _refused.Add(statement.ToString());
                    break;
            }
        }
    }

    private bool HasUser(string database, string user) =>
        _databases.TryGetValue(database, out var principals) && principals.Users.ContainsKey(user);

    private SandboxDatabasePrincipals DatabaseOf(string name)
    {
        if (!_databases.TryGetValue(name, out var database))
        {
            database = new SandboxDatabasePrincipals();
            _databases[name] = database;
        }

        return database;
    }
}

/// <summary>A server login: its fixed server roles and granted server permissions.</summary>
internal sealed class SandboxLogin(string name)
{
    public string Name { get; } = name;

    public HashSet<string> ServerRoles { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> ServerPermissions { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One database's users (user → login), role members, database grants and object grants (principal, schema.object, permission).</summary>
internal sealed class SandboxDatabasePrincipals
{
    public Dictionary<string, string> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, HashSet<string>> RoleMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, HashSet<string>> Grants { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<(string Principal, string Securable, string Permission)> ObjectGrants { get; } = new(new ObjectGrantComparer());

    public HashSet<string> Members(string user) => Get(RoleMembers, user);

    public HashSet<string> DatabaseGrants(string principal) => Get(Grants, principal);

    private static HashSet<string> Get(Dictionary<string, HashSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            map[key] = set;
        }

        return set;
    }

    private sealed class ObjectGrantComparer : IEqualityComparer<(string Principal, string Securable, string Permission)>
    {
        public bool Equals((string Principal, string Securable, string Permission) x, (string Principal, string Securable, string Permission) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Principal, y.Principal)
            && StringComparer.OrdinalIgnoreCase.Equals(x.Securable, y.Securable)
            && StringComparer.OrdinalIgnoreCase.Equals(x.Permission, y.Permission);

        public int GetHashCode((string Principal, string Securable, string Permission) obj) => HashCode.Combine(
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Principal),
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Securable),
            StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Permission));
    }
}
