using System.Xml.Linq;
using Xunit;

namespace OrchUpgradePrep.Tests;

/// <summary>
/// The product's projects refer to each other as docs/architecture.md ("Projects and their references") says: one way,
/// the gate apart from the pipeline hosts (docs/adr/0017-gate-project-and-one-run-composition.md).
/// </summary>
public sealed class ProjectReferencesTests
{
    public static TheoryData<string, string[]> Expected => new()
    {
        { "OrchUpgradePrep.Core", [] },
        { "OrchUpgradePrep.Platform", ["OrchUpgradePrep.Core"] },
        { "OrchUpgradePrep.Pipelines", ["OrchUpgradePrep.Core"] },
        { "OrchUpgradePrep.Gates", ["OrchUpgradePrep.Core"] },
        { "OrchUpgradePrep.Sandbox", ["OrchUpgradePrep.Core", "OrchUpgradePrep.Platform"] },
        { "OrchUpgradePrep.Cli", ["OrchUpgradePrep.Core", "OrchUpgradePrep.Gates", "OrchUpgradePrep.Pipelines", "OrchUpgradePrep.Platform", "OrchUpgradePrep.Sandbox"] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void EachProject_RefersOnlyToTheProjectsBelowIt(string project, string[] references)
    {
        Assert.Equal(references, ProjectReferences(project));
    }

    [Fact]
    public void ThePipelineHosts_CarryNoWebServerOrGitHubClient_TheGateDoes()
    {
        var pipelines = Project("OrchUpgradePrep.Pipelines");
        Assert.Empty(pipelines.Descendants("FrameworkReference"));
        Assert.Empty(pipelines.Descendants("PackageReference"));
        Assert.DoesNotContain(
            Directory.EnumerateFiles(RepositoryPaths.Of("src/OrchUpgradePrep.Pipelines"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)),
            f => File.ReadAllText(f).Contains("namespace OrchUpgradePrep.Gates", StringComparison.Ordinal));

        var gates = Project("OrchUpgradePrep.Gates");
        Assert.Contains(gates.Descendants("FrameworkReference"), r => (string?)r.Attribute("Include") == "Microsoft.AspNetCore.App");
        Assert.Contains(gates.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == "Octokit");
    }

    [Fact]
    public void TheSolution_BuildsTheGate()
    {
        Assert.Contains(@"src\OrchUpgradePrep.Gates\OrchUpgradePrep.Gates.csproj", File.ReadAllText(RepositoryPaths.Of("OrchUpgradePrep.sln")), StringComparison.Ordinal);
    }

    private static XDocument Project(string name) => XDocument.Load(RepositoryPaths.Of($"src/{name}/{name}.csproj"));

    private static string[] ProjectReferences(string name) =>
        [.. Project(name).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
}
