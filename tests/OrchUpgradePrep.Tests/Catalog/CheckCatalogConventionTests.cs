using System.Text.RegularExpressions;
using OrchUpgradePrep.Catalog;
using OrchUpgradePrep.Checks;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Catalog;

/// <summary>Conventions every check keeps: id = prerequisite.signal, unique, one help page in the repo and in the binary.</summary>
public sealed partial class CheckCatalogConventionTests
{
    private static readonly IReadOnlyList<ICheck> Catalog = CheckCatalog.CreateAll();

    /// <summary>Catalog checks and the verdicts only prepare's and resume's steps produce (backup.taken, programs.closed, …),
    /// as CheckIndex lists them for `orchprep list checks`: each has a page.</summary>
    private static readonly IReadOnlyList<string> AllIds = [.. CheckIndex.All().Select(e => e.Id)];

    public static TheoryData<string> CheckIds() => [.. AllIds];

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Every_check_has_a_help_page_in_docs_checks_and_embedded_for_explain(string id)
    {
        var path = RepositoryPaths.Of(Path.Combine("docs", "checks", id + ".md"));
        Assert.True(File.Exists(path), $"missing help page {path}");
        var page = File.ReadAllText(path);
        Assert.StartsWith($"# {id}", page, StringComparison.Ordinal);
        Assert.Equal(page, CheckHelp.Read(id));
    }

    [Fact]
    public void Every_help_page_belongs_to_a_check()
    {
        var pages = Directory.GetFiles(RepositoryPaths.Of(Path.Combine("docs", "checks")), "*.md").Select(p => Path.GetFileNameWithoutExtension(p)!);
        Assert.Empty(pages.Except(AllIds));
    }

    [Fact]
    public void Ids_are_unique_and_named_prerequisite_dot_signal()
    {
        Assert.Equal(Catalog.Count, Catalog.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var check in Catalog)
        {
            Assert.Matches(IdPattern(), check.Id);
            Assert.StartsWith(WireNames.Of(check.Prerequisite) + ".", check.Id, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(check.Title));
        }
    }

    [GeneratedRegex("^[a-z]+\\.[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
