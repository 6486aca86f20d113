using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// The pipelines in examples/ are meant to be copied as they are: they must parse, and every reference to the task, the
/// action, their inputs and outputs, templates and called workflows must point at something that exists.
/// </summary>
public sealed partial class PipelineExamplesTests
{
    private static readonly JsonObject Task = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("task.json")))!.AsObject();

    private static IEnumerable<string> ExampleFiles(string folder) =>
        Directory.EnumerateFiles(RepositoryPaths.Of(Path.Combine("examples", folder)), "*.yml", SearchOption.AllDirectories).Order();

    public static TheoryData<string> AllExamples() =>
        new(ExampleFiles("azure-pipelines").Concat(ExampleFiles("github")).Select(f => Path.GetRelativePath(RepositoryPaths.Root, f)));

    private static YamlMappingNode Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepositoryPaths.Of(relative)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IEnumerable<YamlMappingNode> Mappings(YamlNode node)
    {
        if (node is YamlMappingNode mapping)
        {
            yield return mapping;
            foreach (var child in mapping.Children.Values.SelectMany(Mappings))
            {
                yield return child;
            }
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children.SelectMany(Mappings))
            {
                yield return child;
            }
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode? Map(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static bool IsExpression(string value) => value.Contains("${{", StringComparison.Ordinal) || value.Contains("$(", StringComparison.Ordinal) || value.Contains("$[", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(AllExamples))]
    public void Example_IsOneYamlDocument(string relative) => Assert.NotEmpty(Load(relative).Children);

    [Fact]
    public void AzureExamples_CallTheTaskByItsNameAndMajorVersion_WithInputsItHas_AndValuesItAccepts()
    {
        var inputs = Task["inputs"]!.AsArray().Select(i => i!.AsObject()).ToDictionary(i => (string)i["name"]!);
        var steps = ExampleFiles("azure-pipelines").SelectMany(f => Mappings(Load(Path.GetRelativePath(RepositoryPaths.Root, f))))
            .Where(m => Scalar(m, "task")?.StartsWith("OrchUpgradePrep@", StringComparison.Ordinal) == true).ToList();

        Assert.True(steps.Count >= 2, "the template runs prepare before and resume after the upgrade");
        foreach (var step in steps)
        {
            Assert.Equal($"OrchUpgradePrep@{Task["version"]!["Major"]}", Scalar(step, "task"));
            var given = Map(step, "inputs")!;
            Assert.NotNull(Scalar(given, "mode"));
            foreach (var (key, value) in given.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                Assert.True(inputs.ContainsKey(name), $"task.json has no input '{name}'");
                var text = ((YamlScalarNode)value).Value!;
                if (inputs[name]["options"] is JsonObject options && !IsExpression(text))
                {
                    Assert.True(options.ContainsKey(text), $"'{text}' is not an option of {name}");
                }
            }
        }

        Assert.Contains(steps, s => Scalar(Map(s, "inputs")!, "mode") == "prepare");
        Assert.Contains(steps, s => Scalar(Map(s, "inputs")!, "mode") == "resume");
    }

    [Fact]
    public void AzureExamples_ReadOnlyOutputVariablesTheTaskSets()
    {
        var outputs = Task["outputVariables"]!.AsArray().Select(o => (string)o!["name"]!).ToHashSet();
        var text = string.Concat(ExampleFiles("azure-pipelines").Select(File.ReadAllText));

        var used = AzureOutputReference().Matches(text).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("backupPath", used);
        Assert.All(used, name => Assert.Contains(name, outputs));
    }

    [Fact]
    public void AzureTemplate_UpgradeStageDependsOnThePreflight_AndDeploysToAnEnvironment()
    {
        var template = Load("examples/azure-pipelines/templates/orchestrator-upgrade-stages.yml");
        var stages = ((YamlSequenceNode)template.Children[new YamlScalarNode("stages")]).Children.Cast<YamlMappingNode>().ToList();
        var upgrade = stages.Single(s => Scalar(s, "stage")!.StartsWith("Upgrade_", StringComparison.Ordinal));

        Assert.Equal("Preflight_${{ parameters.environment }}", Scalar(upgrade, "dependsOn"));
        Assert.Contains("succeeded()", Scalar(upgrade, "condition"), StringComparison.Ordinal);
        var deployment = Mappings(upgrade).Single(m => Scalar(m, "deployment") is not null);
        Assert.Equal("orchestrator-${{ parameters.environment }}", Scalar(deployment, "environment"));
    }

    [Fact]
    public void AzureExamples_PassEveryRequiredTemplateParameter_AndTheTemplatesExist()
    {
        foreach (var file in ExampleFiles("azure-pipelines"))
        {
            foreach (var use in Mappings(Load(Path.GetRelativePath(RepositoryPaths.Root, file))).Where(m => Scalar(m, "template") is not null))
            {
                var templatePath = Path.Combine(Path.GetDirectoryName(file)!, Scalar(use, "template")!);
                Assert.True(File.Exists(templatePath), templatePath);
                var declared = ((YamlSequenceNode)Load(Path.GetRelativePath(RepositoryPaths.Root, templatePath)).Children[new YamlScalarNode("parameters")])
                    .Children.Cast<YamlMappingNode>().ToList();
                var passed = Map(use, "parameters")!.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
                foreach (var parameter in declared.Where(p => Scalar(p, "default") is null && !p.Children.ContainsKey(new YamlScalarNode("default"))))
                {
                    Assert.Contains(Scalar(parameter, "name"), passed);
                }

                Assert.All(passed, p => Assert.Contains(p, declared.Select(d => Scalar(d, "name"))));
            }
        }
    }

    [Fact]
    public void GitHubExamples_UseTheActionWithInputsItHas_AndReadOutputsItSets()
    {
        var action = new YamlStream();
        action.Load(new StringReader(File.ReadAllText(RepositoryPaths.Of("action.yml"))));
        var root = (YamlMappingNode)action.Documents[0].RootNode;
        var inputs = Map(root, "inputs")!.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var outputs = Map(root, "outputs")!.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var uses = ExampleFiles("github").SelectMany(f => Mappings(Load(Path.GetRelativePath(RepositoryPaths.Root, f))))
            .Where(m => Scalar(m, "uses")?.Contains("/orchupgradeprep@", StringComparison.Ordinal) == true).ToList();

        Assert.True(uses.Count >= 2);
        foreach (var step in uses)
        {
            var with = Map(step, "with")!;
            Assert.All(with.Children.Keys.Select(k => ((YamlScalarNode)k).Value!), name => Assert.Contains(name, inputs));
        }

        var text = string.Concat(ExampleFiles("github").Select(File.ReadAllText));
        var read = GitHubStepOutputReference().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("outcome", read);
        Assert.All(read, name => Assert.Contains(name, outputs));
    }

    [Fact]
    public void GitHubExamples_UpgradeNeedsThePreflightsOutputs_OnAProtectedEnvironment_OneRunPerEnvironment()
    {
        var called = Load("examples/github/orchestrator-upgrade-environment.yml");
        var jobs = Map(called, "jobs")!;
        var preflightOutputs = Map(Map(jobs, "preflight")!, "outputs")!.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var upgrade = Map(jobs, "upgrade")!;

        Assert.Equal("preflight", Scalar(upgrade, "needs"));
        Assert.Equal("orchestrator-${{ inputs.environment }}", Scalar(upgrade, "environment"));
        var needed = NeedsOutputReference().Matches(File.ReadAllText(RepositoryPaths.Of("examples/github/orchestrator-upgrade-environment.yml")))
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("outcome", needed);
        Assert.All(needed, name => Assert.Contains(name, preflightOutputs));

        var caller = Map(Map(Load("examples/github/orchestrator-upgrade.yml"), "jobs")!, "upgrade")!;
        Assert.Equal("orchestrator-${{ matrix.environment }}", Scalar(Map(caller, "concurrency")!, "group"));
        Assert.Equal("1", Scalar(Map(caller, "strategy")!, "max-parallel"));
        var workflow = Scalar(caller, "uses")!;
        Assert.True(File.Exists(RepositoryPaths.Of(Path.Combine("examples", "github", Path.GetFileName(workflow)))), workflow);
    }

    [GeneratedRegex(@"outputs\['orchprep\.([A-Za-z0-9]+)'\]")]
    private static partial Regex AzureOutputReference();

    [GeneratedRegex(@"steps\.orchprep\.outputs\.([A-Za-z0-9]+)")]
    private static partial Regex GitHubStepOutputReference();

    [GeneratedRegex(@"needs\.preflight\.outputs\.([A-Za-z0-9]+)")]
    private static partial Regex NeedsOutputReference();
}
