using OrchUpgradePrep.Sandbox.SqlServer;

namespace OrchUpgradePrep.Sandbox.Scenarios;

/// <summary>
/// The least-privilege login of docs/sql-permissions.md: the page is embedded in this assembly and its first ```sql
/// block (the script an administrator runs) is the sandbox's permission script, so the scenario grants exactly what the
/// page tells people to grant — no more. The login orchprep connects as is the one the script's CREATE LOGIN creates.
/// </summary>
public static class SandboxLeastPrivilege
{
    public const string ResourceName = "OrchUpgradePrep.Sandbox.sql-permissions.md";

    /// <summary>docs/sql-permissions.md as built into this assembly.</summary>
    public static string Page()
    {
        using var stream = typeof(SandboxLeastPrivilege).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the assembly lacks the embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The script of the page (its first ```sql block).</summary>
    public static string Script() => SandboxPermissionScript.FirstSqlBlock(Page());

    /// <summary>The login the script creates.</summary>
    public static string Login() => LoginOf(SandboxPermissionScript.Parse(Script()));

    public static string LoginOf(IEnumerable<SandboxSecurityStatement> statements) =>
        statements.Single(s => s.Verb == SandboxSecurityVerb.CreateLogin).Principal;

    /// <summary>A script as statements again, one a line with the USE lines kept (a reduced script for a test).</summary>
    public static string Render(IEnumerable<SandboxSecurityStatement> statements)
    {
        var lines = new List<string>();
        foreach (var statement in statements)
        {
            // A GRANT of several permissions is one statement read as one entry per permission: written once.
            if (lines.Count == 0 || lines[^1] != statement.Text + ";")
            {
                lines.Add(statement.Text + ";");
            }
        }

        return string.Join("\n", lines);
    }
}
