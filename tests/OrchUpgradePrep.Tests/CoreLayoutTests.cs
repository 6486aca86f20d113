using System.Text.RegularExpressions;
using Xunit;

namespace OrchUpgradePrep.Tests;

/// <summary>
/// Core is organised by prerequisite (docs/architecture.md, "Core's folders"): a prerequisite's folder (Prerequisites/X) holds its checks,
/// prepare steps and model, and may use the shared kernel but no other prerequisite; the kernel uses no prerequisite;
/// only <c>Catalog/</c> names them all. These tests read the source so a stray <c>using</c> fails the build's tests.
/// </summary>
public sealed partial class CoreLayoutTests
{
    public static readonly string[] Prerequisites = ["Runbooks", "Programs", "Restart", "Backup", "Requirements", "Accounts"];
    public static readonly string[] Kernel = ["Model", "Checks", "Engine", "Prepare", "Config", "Ports", "Reporting", "Secrets", "Http"];
    public const string Catalog = "Catalog";
    public const string PrerequisitesFolder = "Prerequisites";

    [Fact]
    public void Core_has_a_folder_for_every_prerequisite_and_no_unknown_top_folder()
    {
        var core = RepositoryPaths.Of("src/OrchUpgradePrep.Core");
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Kernel.Append(Catalog).Append(PrerequisitesFolder).Order(StringComparer.Ordinal), folders);
        Assert.Equal(Prerequisites.Order(StringComparer.Ordinal),
            Directory.GetDirectories(Path.Combine(core, PrerequisitesFolder)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(core, "*.cs"));
        Assert.Empty(Directory.GetFiles(Path.Combine(core, PrerequisitesFolder), "*.cs"));
    }

    [Fact]
    public void No_prerequisite_folder_imports_another_and_the_kernel_imports_none()
    {
        var core = RepositoryPaths.Of("src/OrchUpgradePrep.Core");
        var sources = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(core, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();
        Assert.True(sources.Count > 100, $"only {sources.Count} Core sources found");
        Assert.Empty(Violations(sources));
    }

    [Fact]
    public void The_rule_catches_a_prerequisite_importing_another_a_kernel_importing_one_and_a_misplaced_namespace()
    {
        var found = Violations(
        [
            ("Prerequisites/Backup/X.cs", "using OrchUpgradePrep.Prerequisites.Requirements;\nnamespace OrchUpgradePrep.Prerequisites.Backup;\n"),
            ("Prerequisites/Restart/Y.cs", "namespace OrchUpgradePrep.Prerequisites.Restart;\nclass Y { object z = new OrchUpgradePrep.Prerequisites.Runbooks.RunbookDrain(); }\n"),
            ("Model/Z.cs", "using OrchUpgradePrep.Prerequisites.Backup;\nnamespace OrchUpgradePrep.Model;\n"),
            ("Engine/R.cs", "namespace OrchUpgradePrep.Engine;\nclass R { Runbooks.RunbookInventory? r; object p = Prerequisite.Runbooks; }\n"),
            ("Checks/D.cs", "namespace OrchUpgradePrep.Checks;\n/// <see cref=\"Backup.BackupQueries\"/> is documented, not used\nclass D { }\n"),
            ("Prerequisites/Runbooks/W.cs", "namespace OrchUpgradePrep.Runbooks;\n"),
            ("Catalog/C.cs", "using OrchUpgradePrep.Prerequisites.Backup;\nusing OrchUpgradePrep.Prerequisites.Runbooks;\nnamespace OrchUpgradePrep.Catalog;\n"),
            ("Prerequisites/Backup/Ok.cs", "using OrchUpgradePrep.Model;\nusing OrchUpgradePrep.Checks;\nnamespace OrchUpgradePrep.Prerequisites.Backup;\n"),
        ]);
        Assert.Equal(5, found.Count);
        Assert.Contains(found, v => v.StartsWith("Engine/R.cs", StringComparison.Ordinal) && v.Contains("Runbooks", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Prerequisites/Backup/X.cs", StringComparison.Ordinal) && v.Contains("Requirements", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Prerequisites/Restart/Y.cs", StringComparison.Ordinal) && v.Contains("Runbooks", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Model/Z.cs", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Prerequisites/Runbooks/W.cs", StringComparison.Ordinal) && v.Contains("namespace", StringComparison.Ordinal));
    }

    internal static List<string> Violations(IEnumerable<(string Path, string Text)> sources)
    {
        var violations = new List<string>();
        foreach (var (path, text) in sources)
        {
            var parts = path.Split('/');
            var folder = parts[0] == PrerequisitesFolder && parts.Length > 2 ? parts[1] : parts[0];
            var expected = "OrchUpgradePrep." + string.Join('.', path.Split('/')[..^1]);
            var declared = NamespacePattern().Match(text);
            if (!declared.Success || declared.Groups[1].Value != expected)
            {
                violations.Add($"{path}: namespace {(declared.Success ? declared.Groups[1].Value : "(none)")}, expected {expected}");
            }

            if (folder == Catalog)
            {
                continue;
            }

            foreach (var used in ReferencePattern().Matches(StripComments(text)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Distinct(StringComparer.Ordinal))
            {
                if (Prerequisites.Contains(used, StringComparer.Ordinal) && used != folder)
                {
                    violations.Add(Kernel.Contains(folder, StringComparer.Ordinal)
                        ? $"{path}: the kernel folder {folder} refers to the prerequisite {used}"
                        : $"{path}: the prerequisite {folder} refers to the prerequisite {used}");
                }
            }
        }

        return violations;
    }

    // Comments may name another folder's types (a cref, a sentence); only code is an import.
    private static string StripComments(string text) => CommentPattern().Replace(text, string.Empty);

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    // A using directive or a qualified name (OrchUpgradePrep.<Folder> followed by ';' or '.'), or a name qualified by the
    // folder alone as code inside OrchUpgradePrep.* may write it (Prerequisites.Runbooks.RunbookInventory, Runbooks.RunbookInventory; not Prerequisite.Runbooks).
    [GeneratedRegex(@"\bOrchUpgradePrep\.(?:Prerequisites\.)?(\w+)(?=[;.])|(?<![\w]|(?<!Prerequisites)\.)(Runbooks|Programs|Restart|Backup|Requirements|Accounts)\.(?=[A-Z])")]
    private static partial Regex ReferencePattern();
}
