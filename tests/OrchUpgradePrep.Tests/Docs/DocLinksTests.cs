using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace OrchUpgradePrep.Tests.Docs;

/// <summary>Every relative Markdown link in README.md, CONTRIBUTING.md and docs/**/*.md names a file or folder of this
/// repository that exists, and a link with an anchor into a Markdown file names one of its headings (GitHub's
/// heading ids). Links in code blocks and code spans are not links; http(s) and mailto links are not checked.</summary>
public sealed partial class DocLinksTests
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in MarkdownPages())
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, page).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_resolves(string page)
    {
        var path = RepositoryPaths.Of(page);
        var root = Path.GetFullPath(RepositoryPaths.Root);
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(path, Encoding.UTF8)))
        {
            if (SchemeLink().IsMatch(target))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = Uri.UnescapeDataString(hash >= 0 ? target[..hash] : target);
            var anchor = hash >= 0 ? target[(hash + 1)..] : null;
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                broken.Add($"{target}: outside the repository");
            }
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && File.Exists(resolved)
                     && !HeadingIds(File.ReadAllText(resolved, Encoding.UTF8)).Contains(anchor))
            {
                broken.Add($"{target}: no heading #{anchor} in {Path.GetRelativePath(root, resolved)}");
            }
        }

        Assert.True(broken.Count == 0, $"{page}:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_pages_are_found_and_the_heading_ids_follow_github()
    {
        var pages = MarkdownPages().Select(p => Path.GetRelativePath(RepositoryPaths.Root, p).Replace('\\', '/')).ToList();
        Assert.Contains("README.md", pages);
        Assert.Contains("docs/scenarios.md", pages);
        var ids = HeadingIds("# Commands\n## `sandbox` and `--sandbox`\n```\n# not a heading\n```\n### The sandbox's backups (`prepare --sandbox`)\n## Commands\n");
        Assert.Equal(new[] { "commands", "commands-1", "sandbox-and---sandbox", "the-sandboxs-backups-prepare---sandbox" }, ids.Order(StringComparer.Ordinal));
        Assert.Equal(["./x.md", "y.md#z"], Links("see [a](./x.md) and `[b](no.md)` and [c](y.md#z)\n```\n[d](no.md)\n```\n"));
    }

    private static IEnumerable<string> MarkdownPages()
    {
        yield return RepositoryPaths.Of("README.md");
        yield return RepositoryPaths.Of("CONTRIBUTING.md");
        foreach (var page in Directory.EnumerateFiles(RepositoryPaths.Of("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return page;
        }
    }

    /// <summary>The targets of inline links outside fenced code blocks and code spans.</summary>
    internal static List<string> Links(string markdown)
    {
        var links = new List<string>();
        foreach (var line in OutsideFences(markdown))
        {
            var text = CodeSpan().Replace(line, string.Empty);
            links.AddRange(InlineLink().Matches(text).Select(m => m.Groups["target"].Value));
        }

        return links;
    }

    /// <summary>GitHub's heading ids: lower case, punctuation other than '-' and '_' dropped, spaces as '-', a repeat
    /// numbered -1, -2, …; also explicit &lt;a id&gt; / &lt;a name&gt; anchors.</summary>
    internal static HashSet<string> HeadingIds(string markdown)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in OutsideFences(markdown))
        {
            foreach (Match explicitAnchor in ExplicitAnchor().Matches(line))
            {
                ids.Add(explicitAnchor.Groups["id"].Value);
            }

            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var text = InlineLink().Replace(heading.Groups["text"].Value.Trim(), m => m.Groups["text"].Value);
            var slug = NotInId().Replace(text.ToLowerInvariant(), string.Empty).Replace(' ', '-');
            var id = slug;
            for (var n = 1; !ids.Add(id); n++)
            {
                id = $"{slug}-{n}";
            }
        }

        return ids;
    }

    private static IEnumerable<string> OutsideFences(string markdown)
    {
        string? fence = null;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            yield return line;
        }
    }

    [GeneratedRegex(@"(?<!\!)\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex SchemeLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"<a\s+(?:id|name)=""(?<id>[^""]+)""")]
    private static partial Regex ExplicitAnchor();

    [GeneratedRegex(@"[^\p{L}\p{N}\p{Mn} _-]")]
    private static partial Regex NotInId();
}
