using System.Text.RegularExpressions;

namespace OrchUpgradePrep.Ports;

/// <summary>
/// What to grant when SQL Server refuses a statement for want of a permission, from the refusal's own words: the
/// permission, the object and the database of Msg 229, the database of 916 / 4060, BACKUP or CREATE DATABASE of 262, and
/// VIEW SERVER STATE (297/300), CREATE DATABASE (3110), CONTROL SERVER (15247). The statements are those of
/// docs/sql-permissions.md, with the login filled in when it is known.
/// </summary>
public static partial class SqlPermissionAdvice
{
    /// <summary>A sentence naming the grant that is missing, or null when no message is a permission refusal.</summary>
    public static string? For(IReadOnlyList<SqlMessage> messages, string? login)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var who = Quote(login ?? "<the login>");
        var whoString = "N'" + (login ?? "<the login>").Replace("'", "''", StringComparison.Ordinal) + "'";
        foreach (var message in messages.Where(m => m.IsError))
        {
            switch (message.Number)
            {
                case 229 when DeniedPattern().Match(message.Text) is { Success: true } denied:
                    var permission = denied.Groups["perm"].Value;
                    var database = denied.Groups["db"].Value;
                    return $"the login lacks {permission} on {Quote(denied.Groups["schema"].Value)}.{Quote(denied.Groups["object"].Value)} in {Quote(database)}; "
                        + $"as a sysadmin run: USE {Quote(database)}; GRANT {permission} ON OBJECT::{Quote(denied.Groups["schema"].Value)}.{Quote(denied.Groups["object"].Value)} TO {who}; (docs/sql-permissions.md)";
                case 916 when NoAccessPattern().Match(message.Text) is { Success: true } noAccess:
                    return NoUser(noAccess.Groups["db"].Value, who);
                case 4060 when CannotOpenPattern().Match(message.Text) is { Success: true } cannotOpen:
                    return $"the database does not exist or the login has no user in it; " + NoUser(cannotOpen.Groups["db"].Value, who);
                case 262 when message.Text.StartsWith("BACKUP DATABASE", StringComparison.OrdinalIgnoreCase) && InDatabasePattern().Match(message.Text) is { Success: true } backup:
                    return $"the login may not back up {Quote(backup.Groups["db"].Value)}; as a sysadmin run: USE {Quote(backup.Groups["db"].Value)}; EXEC sp_addrolemember N'db_backupoperator', {whoString}; (docs/sql-permissions.md)";
                case 262 when message.Text.StartsWith("CREATE DATABASE", StringComparison.OrdinalIgnoreCase):
                case 3110:
                    return $"the login lacks CREATE DATABASE (RESTORE needs it); as a sysadmin run: USE [master]; GRANT CREATE ANY DATABASE TO {who}; (docs/sql-permissions.md)";
                case 297 or 300:
                    return $"the login lacks VIEW SERVER STATE; as a sysadmin run: USE [master]; GRANT VIEW SERVER STATE TO {who}; (docs/sql-permissions.md)";
                case 15247:
                    return $"the login lacks CONTROL SERVER; as a sysadmin run: USE [master]; GRANT CONTROL SERVER TO {who}; for the upgrade window (it implies every permission on the instance), or back the key up yourself (docs/sql-permissions.md)";
            }
        }

        return null;
    }

    private static string NoUser(string database, string who) =>
        $"the login has no user in {Quote(database)}; as a sysadmin run: USE {Quote(database)}; CREATE USER {who} FOR LOGIN {who}; and that database's grants (docs/sql-permissions.md)";

    private static string Quote(string name) => "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";

    [GeneratedRegex(@"The (?<perm>[A-Z ]+) permission was denied on the object '(?<object>[^']*)', database '(?<db>[^']*)', schema '(?<schema>[^']*)'")]
    private static partial Regex DeniedPattern();

    [GeneratedRegex(@"is not able to access the database ""(?<db>[^""]*)""")]
    private static partial Regex NoAccessPattern();

    [GeneratedRegex(@"Cannot open database ""(?<db>[^""]*)"" requested by the login")]
    private static partial Regex CannotOpenPattern();

    [GeneratedRegex(@"in database '(?<db>[^']*)'")]
    private static partial Regex InDatabasePattern();
}
