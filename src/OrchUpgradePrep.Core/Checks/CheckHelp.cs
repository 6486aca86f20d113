using System.Reflection;

namespace OrchUpgradePrep.Checks;

/// <summary>Help pages: docs/checks/&lt;id&gt;.md in the repo, embedded in the binary for `orchprep explain`.</summary>
public static class CheckHelp
{
    public static string UriFor(string checkId) => $"docs/checks/{checkId}.md";

    /// <summary>The page's Markdown, or null when the check has no page.</summary>
    public static string? Read(string checkId)
    {
        using var stream = typeof(CheckHelp).Assembly.GetManifestResourceStream($"checks/{checkId}.md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> AvailablePages() =>
        typeof(CheckHelp).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("checks/", StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
            .Select(n => n["checks/".Length..^".md".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    internal static Assembly ResourceAssembly => typeof(CheckHelp).Assembly;
}
