using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace OrchUpgradePrep.Tests.Docs;

/// <summary>
/// Every file a comment or page cites by path is in this repository: a path-like reference ending in .md, .json,
/// .yml or .cs (<c>docs/x.md</c>, <c>Restart/RestartKeys.cs</c>, a bare <c>x.md</c>) in src/, tests/, fuzz/,
/// benchmarks/, tasks/, docs/, examples/ and the top-level Markdown names a file of the repository, and an anchor
/// after it names a heading of that page. Facts are cited from docs/facts/ only, never from a folder beside the
/// repository. Markdown links in docs are <see cref="DocLinksTests"/>'s; URLs are not checked.
/// </summary>
public sealed partial class RepositoryReferencesTests
{
    private static readonly string[] Folders = ["src", "tests", "fuzz", "benchmarks", "tasks", "docs", "examples"];

    private static readonly HashSet<string> Extensions =
        new([".cs", ".md", ".js", ".json", ".yml", ".yaml", ".sh", ".ps1", ".props", ".csproj", ".xml", ""], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> SkippedFolders = new(["node_modules", "bin", "obj"], StringComparer.Ordinal);

    /// <summary>Names of files orchprep or the build produces, or that the reader's own setup holds: cited, never in the
    /// repository.</summary>
    private static readonly HashSet<string> ProducedFiles = new(StringComparer.Ordinal)
    {
        "report.json", "report.md", "prepare-state.json", "host.json", "orchprep.yml", "manifest.json",
        "vss-extension.json", "package.json", "package-lock.json", "appsettings.json", "launchSettings.json",
        "global.json", "azure-pipelines.yml", "preflight.yml", "upgrade.yml",
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in ScannedFiles())
        {
            data.Add(Relative(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_cited_file_is_in_the_repository(string file)
    {
        var index = RepositoryIndex.Value;
        var broken = new List<string>();
        foreach (var (line, reference) in References(File.ReadAllText(RepositoryPaths.Of(file), Encoding.UTF8), IsCode(file)))
        {
            var problem = Resolve(file, reference, index);
            if (problem is not null)
            {
                broken.Add($"line {line}: {reference}: {problem}");
            }
        }

        Assert.True(broken.Count == 0, $"{file}:\n" + string.Join("\n", broken));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Facts_are_cited_from_docs_facts_only(string file)
    {
        var text = File.ReadAllText(RepositoryPaths.Of(file), Encoding.UTF8);
        var found = new List<string>();
        foreach (Match outside in OutsideFolder().Matches(text))
        {
            found.Add($"line {LineOf(text, outside.Index)}: {outside.Value}");
        }

        foreach (var (line, reference) in References(text))
        {
            var path = PathOf(reference);
            if (path.Split('/').SkipLast(1).Contains("facts") && !ResolvesUnder(file, path, "docs/facts/"))
            {
                found.Add($"line {line}: {reference}: facts are cited from docs/facts/");
            }
        }

        Assert.True(found.Count == 0, $"{file}:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_references_and_judges_them()
    {
        var files = ScannedFiles().Select(Relative).ToList();
        Assert.Contains("README.md", files);
        Assert.Contains("docs/facts/restart-signals.md", files);
        Assert.Contains("src/OrchUpgradePrep.Core/Prerequisites/Restart/RestartKeys.cs", files);
        Assert.DoesNotContain(files, f => f.Contains("/node_modules/", StringComparison.Ordinal) || f.Contains("/bin/", StringComparison.Ordinal));

        var text = "/// see docs/facts/restart-signals.md#cbs and (facts/host-checks.md §1), design.md \"CLI\"\n" +
                   "// https://github.com/dotnet/docs/blob/main/docs/x.md is a URL; `artifacts/bin/win-x64/orchprep.exe` is built\n" +
                   "[a](../runbooks.md#resume) Restart/RestartKeys.cs <id>.md docs/checks/<check-id>.md\n";
        Assert.Equal(
            ["docs/facts/restart-signals.md#cbs", "facts/host-checks.md", "design.md", "../runbooks.md#resume"],
            References(text).Select(r => r.Reference));
        Assert.Equal(["docs/facts/restart-signals.md#cbs"], References("var s = \"docs/checks/x.md\"; // docs/facts/restart-signals.md#cbs", commentsOnly: true).Select(r => r.Reference));

        var index = RepositoryIndex.Value;
        Assert.Null(Resolve("src/OrchUpgradePrep.Core/Prerequisites/Restart/RestartKeys.cs", "docs/facts/restart-signals.md#cbs", index));
        Assert.Null(Resolve("docs/checks/runbooks.drained.md", "../runbooks.md", index));
        Assert.Null(Resolve("docs/facts/host-facts.md", "Restart/RestartKeys.cs", index));
        Assert.NotNull(Resolve("src/X.cs", "facts/host-checks.md", index));
        Assert.NotNull(Resolve("src/X.cs", "design.md", index));
        Assert.NotNull(Resolve("src/X.cs", "docs/facts/restart-signals.md#no-such-heading", index));
        Assert.Matches(OutsideFolder(), "(" + "../" + "shared/design.md)");
        Assert.False(ResolvesUnder("src/X.cs", "facts/host-checks.md", "docs/facts/"));
        Assert.True(ResolvesUnder("docs/checks/x.md", "../facts/host-facts.md", "docs/facts/"));
    }

    /// <summary>Path-like references outside URLs: relative paths, paths with folders, bare file names; each with
    /// its 1-based line.</summary>
    internal static IEnumerable<(int Line, string Reference)> References(string text, bool commentsOnly = false)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = commentsOnly ? CommentOf(lines[i]) : lines[i];
            line = Url().Replace(line, " ");
            foreach (Match match in PathReference().Matches(line))
            {
                if (IsRepositoryPath(match.Value))
                {
                    yield return (i + 1, match.Value);
                }
            }
        }
    }

    /// <summary>A reference that can only mean a file of this repository: rooted in one of its folders, relative
    /// (./, ../), under a facts/ folder, or one of the design and style files that live outside it. Bare names
    /// (task.json, report.md, a fixture's x.yml) and files of other repositories are not judged.</summary>
    internal static bool IsRepositoryPath(string reference)
    {
        var path = PathOf(reference);
        var segments = path.Split('/');
        return path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal)
            || RootFolders.Contains(segments[0]) || segments.SkipLast(1).Contains("facts")
            || segments[^1] is "design.md" or "style.md";
    }

    /// <summary>The comment part of a line of code: after //, or a /* … */ or * continuation line.</summary>
    private static string CommentOf(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith('*'))
        {
            return trimmed;
        }

        var slash = line.IndexOf("//", StringComparison.Ordinal);
        while (slash > 0 && line[slash - 1] == ':')
        {
            slash = line.IndexOf("//", slash + 2, StringComparison.Ordinal);
        }

        return slash >= 0 ? line[slash..] : string.Empty;
    }

    private static readonly HashSet<string> RootFolders =
        new(["docs", "src", "tests", "fuzz", "benchmarks", "tasks", "examples", ".ci"], StringComparer.Ordinal);

    private static bool IsCode(string file) => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".js", StringComparison.Ordinal);

    /// <summary>Null when the reference names a file of the repository (and its anchor a heading), else why not.</summary>
    internal static string? Resolve(string citingFile, string reference, IReadOnlyCollection<string> repositoryFiles)
    {
        var path = PathOf(reference);
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var anchor = hash >= 0 ? reference[(hash + 1)..] : null;
        var name = path.Split('/')[^1];
        if (ProducedFiles.Contains(name) && !path.StartsWith("docs/", StringComparison.Ordinal) || path.StartsWith("artifacts/", StringComparison.Ordinal))
        {
            return null;
        }

        var candidates = new List<string>();
        var fromFolder = Normalize(Path.Combine(Path.GetDirectoryName(citingFile) ?? string.Empty, path));
        if (fromFolder is not null && repositoryFiles.Contains(fromFolder))
        {
            candidates.Add(fromFolder);
        }

        if (!path.StartsWith('.') && repositoryFiles.Contains(path))
        {
            candidates.Add(path);
        }

        // A path under a project or folder (Restart/RestartKeys.cs, checks/x.md) or a bare file name: any file
        // whose path ends with it, so long as it is not a top-level facts/ or design.md left from outside.
        if (candidates.Count == 0 && !path.StartsWith('.'))
        {
            candidates.AddRange(repositoryFiles.Where(f => f.EndsWith("/" + path, StringComparison.Ordinal)));
        }

        if (candidates.Count == 0)
        {
            return "no such file in the repository";
        }

        if (anchor is { Length: > 0 } && path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
            && !candidates.Any(c => DocLinksTests.HeadingIds(File.ReadAllText(RepositoryPaths.Of(c), Encoding.UTF8)).Contains(anchor)))
        {
            return $"no heading #{anchor} in {candidates[0]}";
        }

        return null;
    }

    internal static bool ResolvesUnder(string citingFile, string path, string folder)
    {
        var fromFolder = Normalize(Path.Combine(Path.GetDirectoryName(citingFile) ?? string.Empty, path));
        return path.StartsWith(folder, StringComparison.Ordinal) || (fromFolder is not null && fromFolder.StartsWith(folder, StringComparison.Ordinal));
    }

    private static readonly Lazy<HashSet<string>> RepositoryIndex = new(() =>
        new HashSet<string>(AllFiles(RepositoryPaths.Root).Select(Relative), StringComparer.Ordinal));

    private static IEnumerable<string> ScannedFiles()
    {
        foreach (var top in Directory.EnumerateFiles(RepositoryPaths.Root, "*.md").Order(StringComparer.Ordinal))
        {
            yield return top;
        }

        foreach (var folder in Folders)
        {
            var full = RepositoryPaths.Of(folder);
            if (!Directory.Exists(full))
            {
                continue;
            }

            foreach (var file in AllFiles(full).Where(f => Extensions.Contains(Path.GetExtension(f)) && !IsThisFile(f) && !Relative(f).Contains("/TestData/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                yield return file;
            }
        }
    }

    private static bool IsThisFile(string file) =>
        Relative(file) == "tests/OrchUpgradePrep.Tests/Docs/RepositoryReferencesTests.cs";

    private static IEnumerable<string> AllFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (SkippedFolders.Contains(name) || name.StartsWith('.') || name == "artifacts" || name == "TestResults")
            {
                continue;
            }

            foreach (var file in AllFiles(sub))
            {
                yield return file;
            }
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');

    private static string PathOf(string reference)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? reference[..hash] : reference;
    }

    /// <summary>The repository-relative form of a path, or null when it leaves the repository.</summary>
    private static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    // A path: optional ./ or ../ steps, then name segments of letters, digits, '.', '_', '-', ending in one of the
    // cited extensions, optionally #anchor. Not part of a longer word, a placeholder (<id>.md) or a $variable path.
    [GeneratedRegex(@"(?<![\w./\\<>{}$%*@-])(?:\.{1,2}/)*(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:md|json|yml|cs)(?:#[A-Za-z0-9_-]+)?(?![\w/<>*-])")]
    private static partial Regex PathReference();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s)\]>""'`]+")]
    private static partial Regex Url();

    // The team's folder beside the repository, in any spelling.
    [GeneratedRegex(@"\.\./shared\b|/work/shared\b|shared/(?:design|style)\.md|shared/facts/")]
    private static partial Regex OutsideFolder();
}
