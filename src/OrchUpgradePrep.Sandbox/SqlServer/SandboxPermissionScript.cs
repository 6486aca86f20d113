using System.Text;
using System.Text.RegularExpressions;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>
/// The statement forms of a least-privilege script such as docs/sql-permissions.md's, read into
/// <see cref="SandboxSecurityStatement"/>s: USE [db]; CREATE LOGIN [x] FROM WINDOWS | WITH PASSWORD = …;
/// CREATE USER [u] FOR|FROM LOGIN [x]; EXEC sp_addrolemember N'role', N'user'; EXEC sp_addsrvrolemember N'login', N'role';
/// GRANT perm[, perm] TO [x]; GRANT perm ON OBJECT::[schema].[object] TO [x]. Every other statement is refused
/// (<see cref="FormatException"/>), so a script the sandbox cannot model is never silently half-applied.
/// Forms: https://learn.microsoft.com/sql/t-sql/statements/create-login-transact-sql,
/// https://learn.microsoft.com/sql/t-sql/statements/create-user-transact-sql,
/// https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-addrolemember-transact-sql,
/// https://learn.microsoft.com/sql/t-sql/statements/grant-server-permissions-transact-sql,
/// https://learn.microsoft.com/sql/t-sql/statements/grant-object-permissions-transact-sql.
/// </summary>
public static partial class SandboxPermissionScript
{
    /// <summary>Server permissions (GRANT … TO in any database grants these at server scope only from master).</summary>
    public static readonly IReadOnlySet<string> ServerPermissions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "CONTROL SERVER", "CREATE ANY DATABASE", "ALTER ANY DATABASE", "VIEW SERVER STATE", "ALTER SERVER STATE",
        "VIEW ANY DATABASE", "VIEW ANY DEFINITION", "ALTER ANY LOGIN", "SHUTDOWN",
    };

    /// <summary>The statements of <paramref name="script"/> in order, each with the database it runs in.</summary>
    public static IReadOnlyList<SandboxSecurityStatement> Parse(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<SandboxSecurityStatement>();
        var database = "master";
        foreach (var text in Split(StripComments(script)))
        {
            if (UsePattern().Match(text) is { Success: true } use)
            {
                database = Name(use.Groups["db"].Value);
                statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.Use, database, database, null, null, text));
            }
            else if (CreateLoginPattern().Match(text) is { Success: true } login)
            {
                statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.CreateLogin, database, Name(login.Groups["login"].Value), null, null, text));
            }
            else if (CreateUserPattern().Match(text) is { Success: true } user)
            {
                statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.CreateUser, database, Name(user.Groups["user"].Value), Name(user.Groups["login"].Value), null, text));
            }
            else if (AddRoleMemberPattern().Match(text) is { Success: true } member)
            {
                statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.AddRoleMember, database, Literal(member.Groups["member"].Value), Literal(member.Groups["role"].Value), null, text));
            }
            else if (AddServerRoleMemberPattern().Match(text) is { Success: true } serverMember)
            {
                statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.AddServerRoleMember, database, Literal(serverMember.Groups["login"].Value), Literal(serverMember.Groups["role"].Value), null, text));
            }
            else if (GrantObjectPattern().Match(text) is { Success: true } objectGrant)
            {
                var securable = Name(objectGrant.Groups["schema"].Value) + "." + Name(objectGrant.Groups["object"].Value);
                foreach (var permission in Permissions(objectGrant.Groups["perms"].Value))
                {
                    statements.Add(new SandboxSecurityStatement(SandboxSecurityVerb.GrantObject, database, Name(objectGrant.Groups["to"].Value), permission, securable, text));
                }
            }
            else if (GrantPattern().Match(text) is { Success: true } grant)
            {
                foreach (var permission in Permissions(grant.Groups["perms"].Value))
                {
                    var serverScope = ServerPermissions.Contains(permission);
                    if (serverScope && !string.Equals(database, "master", StringComparison.OrdinalIgnoreCase))
                    {
                        // SQL Server: "Permissions at the server scope can only be granted when the current database is master" (Msg 4621).
                        throw new FormatException($"'{text}': server permission {permission} granted outside master (SQL Server refuses it, Msg 4621)");
                    }

                    statements.Add(new SandboxSecurityStatement(serverScope ? SandboxSecurityVerb.GrantServer : SandboxSecurityVerb.GrantDatabase, database, Name(grant.Groups["to"].Value), permission, null, text));
                }
            }
            else
            {
                throw new FormatException($"the sandbox does not model the statement '{text}'");
            }
        }

        return statements;
    }

    /// <summary>The first ```sql block of a Markdown page (docs/sql-permissions.md's script).</summary>
    public static string FirstSqlBlock(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var match = SqlBlockPattern().Match(markdown);
        return match.Success ? match.Groups["sql"].Value : throw new FormatException("the page has no ```sql block");
    }

    private static IEnumerable<string> Permissions(string list) =>
        list.Split(',').Select(p => WhitespacePattern().Replace(p.Trim(), " ").ToUpperInvariant()).Where(p => p.Length > 0);

    private static string Name(string token) => SandboxSqlEngine.Identifier(token);

    private static string Literal(string token) => SandboxSqlEngine.SqlLiteral(token);

    private static string StripComments(string script)
    {
        var output = new StringBuilder(script.Length);
        var quoted = false;
        var bracketed = false;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (!quoted && !bracketed && c == '-' && i + 1 < script.Length && script[i + 1] == '-')
            {
                while (i < script.Length && script[i] != '\n')
                {
                    i++;
                }

                output.Append('\n');
                continue;
            }

            quoted = c == '\'' && !bracketed ? !quoted : quoted;
            bracketed = c == '[' && !quoted ? true : c == ']' && !quoted ? false : bracketed;
            output.Append(c);
        }

        return output.ToString();
    }

    private static IEnumerable<string> Split(string script)
    {
        var start = 0;
        var quoted = false;
        var bracketed = false;
        for (var i = 0; i <= script.Length; i++)
        {
            var c = i < script.Length ? script[i] : ';';
            quoted = c == '\'' && !bracketed ? !quoted : quoted;
            bracketed = c == '[' && !quoted ? true : c == ']' && !quoted ? false : bracketed;
            if (c == ';' && !quoted && !bracketed)
            {
                var text = WhitespacePattern().Replace(script[start..Math.Min(i, script.Length)], " ").Trim();
                if (text.Length > 0)
                {
                    yield return text;
                }

                start = i + 1;
            }
        }
    }

    private const string Identifier = @"(?:\[(?:[^\]]|\]\])+\]|[\w@#$]+)";

    [GeneratedRegex(@"[ \t\r\n]+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"```sql\r?\n(?<sql>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlockPattern();

    [GeneratedRegex(@"^USE (?<db>" + Identifier + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex UsePattern();

    [GeneratedRegex(@"^CREATE LOGIN (?<login>" + Identifier + @") (?:FROM WINDOWS|WITH PASSWORD\b.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateLoginPattern();

    [GeneratedRegex(@"^CREATE USER (?<user>" + Identifier + @") (?:FOR|FROM) LOGIN (?<login>" + Identifier + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateUserPattern();

    [GeneratedRegex(@"^EXEC(?:UTE)? (?:(?:\[?sys\]?|\[?dbo\]?)\.)?sp_addrolemember (?:@rolename ?= ?)?(?<role>" + SandboxSqlEngine.StringLiteral + @") ?, ?(?:@membername ?= ?)?(?<member>" + SandboxSqlEngine.StringLiteral + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex AddRoleMemberPattern();

    [GeneratedRegex(@"^EXEC(?:UTE)? (?:(?:\[?sys\]?|\[?dbo\]?)\.)?sp_addsrvrolemember (?:@loginame ?= ?)?(?<login>" + SandboxSqlEngine.StringLiteral + @") ?, ?(?:@rolename ?= ?)?(?<role>" + SandboxSqlEngine.StringLiteral + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex AddServerRoleMemberPattern();

    [GeneratedRegex(@"^GRANT (?<perms>[A-Z ,]+?) ON OBJECT ?:: ?(?<schema>" + Identifier + @")\.(?<object>" + Identifier + @") TO (?<to>" + Identifier + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex GrantObjectPattern();

    [GeneratedRegex(@"^GRANT (?<perms>[A-Z ,]+?) TO (?<to>" + Identifier + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex GrantPattern();
}

public enum SandboxSecurityVerb
{
    Use,
    CreateLogin,
    CreateUser,
    AddRoleMember,
    AddServerRoleMember,
    GrantServer,
    GrantDatabase,
    GrantObject,
}

/// <summary>One statement of a permission script. <paramref name="Principal"/>: the login, user or grantee;
/// <paramref name="What"/>: the login a user is for, the role, or the permission; <paramref name="Securable"/>: schema.object
/// of an object grant. <paramref name="Text"/> is the statement as written (comments and extra blanks removed).</summary>
public sealed record SandboxSecurityStatement(SandboxSecurityVerb Verb, string Database, string Principal, string? What, string? Securable, string Text)
{
    /// <summary>Whether the statement grants something (a removable line of the script), as opposed to USE / CREATE LOGIN.</summary>
    public bool IsGrant => Verb is not (SandboxSecurityVerb.Use or SandboxSecurityVerb.CreateLogin);

    public override string ToString() => Verb == SandboxSecurityVerb.Use ? Text : $"{Text} (in {Database})";
}
