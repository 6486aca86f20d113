using System.Text.RegularExpressions;
using Xunit;

namespace OrchUpgradePrep.Tests.Docs;

/// <summary>docs/sql-permissions.md names every object the SQL text in OrchUpgradePrep.Core touches, so the least-privilege
/// script cannot silently fall behind a new query.</summary>
public sealed partial class SqlPermissionsDocTests
{
    [Fact]
    public void The_permissions_page_names_every_object_the_sql_touches()
    {
        var page = File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "sql-permissions.md")));
        var objects = SqlObjects().ToList();

        // The extraction must find what is known to be there, or the test proves nothing.
        Assert.Contains("[Microsoft.SystemCenter.Orchestrator.Runtime].[CancelJob]", objects);
        Assert.Contains("dbo.POLICY_REQUEST_HISTORY", objects);
        Assert.Contains("dbo.backupset", objects);
        Assert.Contains("sys.dm_os_volume_stats", objects);

        var missing = objects.Where(o => !Named(page, o)).ToList();
        Assert.True(missing.Count == 0, "docs/sql-permissions.md does not name: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_sandbox_least_privilege_scenario_grants_exactly_the_pages_script()
    {
        var page = File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "sql-permissions.md")));
        var script = OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.Parse(OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.FirstSqlBlock(page));
        var scenario = OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.Parse(OrchUpgradePrep.Sandbox.Scenarios.SandboxLeastPrivilege.Script());

        Assert.Equal(script, scenario);
        Assert.Equal(18, script.Count(s => s.IsGrant));
        Assert.Contains(script, s => s.Text == @"GRANT SELECT ON OBJECT::[dbo].[backupset] TO [CONTOSO\svc-orchprep]" && s.Database == "msdb");
        Assert.Contains(script, s => s.Text == @"EXEC sp_addrolemember N'db_backupoperator', N'CONTOSO\svc-orchprep'" && s.Database == "Orchestrator");
        // CONTROL SERVER implies every other permission: it is the page's optional second block, not the script.
        Assert.DoesNotContain(script, s => s.What == "CONTROL SERVER");
    }

    [Fact]
    public void The_backup_pages_short_version_is_part_of_the_pages_script()
    {
        var page = File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "sql-permissions.md")));
        var backupPage = File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "backup.md")));
        var heading = backupPage.IndexOf("**Permissions the SQL login needs**", StringComparison.Ordinal);
        Assert.True(heading >= 0, "docs/backup.md has no \"Permissions the SQL login needs\" paragraph");
        var shortVersion = OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.FirstSqlBlock(backupPage[heading..]);
        var script = OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.Parse(OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.FirstSqlBlock(page));

        var statements = OrchUpgradePrep.Sandbox.SqlServer.SandboxPermissionScript.Parse(shortVersion);

        Assert.True(statements.Count >= 10, "docs/backup.md's block was not found");
        Assert.All(statements, s => Assert.Contains(script, full => (full.Verb, full.Database, full.Principal, full.What, full.Securable) == (s.Verb, s.Database, s.Principal, s.What, s.Securable)));
    }

    /// <summary>dbo.X may be written [dbo].[X] in the script.</summary>
    private static bool Named(string page, string sqlObject) =>
        page.Contains(sqlObject, StringComparison.Ordinal)
        || (sqlObject.StartsWith("dbo.", StringComparison.Ordinal) && page.Contains($"[dbo].[{sqlObject[4..]}]", StringComparison.Ordinal));

    private static IEnumerable<string> SqlObjects() =>
        Directory.EnumerateFiles(RepositoryPaths.Of(Path.Combine("src", "OrchUpgradePrep.Core")), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => StringLiteral().Matches(File.ReadAllText(file)))
            .SelectMany(literal => ObjectName().Matches(literal.Value))
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"""(?:[^""\\\r\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\[Microsoft\.SystemCenter\.Orchestrator[^\]]*\]\.\[[^\]]+\]|\bdbo\.[A-Za-z_]+|\bsys\.[a-z_]+")]
    private static partial Regex ObjectName();
}
