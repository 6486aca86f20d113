using System.Text.RegularExpressions;
using OrchUpgradePrep.Sandbox.Tds;

namespace OrchUpgradePrep.Sandbox.SqlServer;

/// <summary>Reads the audit log: which received statements change something on the server (so a test can prove
/// check mode sent none). RESTORE VERIFYONLY/HEADERONLY/FILELISTONLY only read.</summary>
public static partial class SandboxSqlAudit
{
    public static bool IsWrite(SqlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = SandboxSqlEngine.Normalize(request.Text);
        if (request.IsRpc && request.Kind != SqlRequestKind.ExecuteSql)
        {
            return true;
        }

        if (ReadOnlyRestore().IsMatch(text))
        {
            return false;
        }

        return WriteVerb().IsMatch(text);
    }

    public static IReadOnlyList<SqlRequest> Writes(IEnumerable<SqlRequest> audit) => audit.Where(IsWrite).ToList();

    [GeneratedRegex(@"^RESTORE (VERIFYONLY|HEADERONLY|FILELISTONLY|LABELONLY)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReadOnlyRestore();

    [GeneratedRegex(@"(^|;\s*|\s)(BACKUP|RESTORE|DROP|DBCC|CREATE|ALTER|INSERT|UPDATE|DELETE|MERGE|TRUNCATE|EXEC|EXECUTE|GRANT|REVOKE|DENY|KILL|SHUTDOWN|RECONFIGURE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WriteVerb();
}
