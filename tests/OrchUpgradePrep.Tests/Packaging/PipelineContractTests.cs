using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using OrchUpgradePrep.Cli.Commands;
using OrchUpgradePrep.Model;
using Xunit;
using YamlDotNet.Serialization;

namespace OrchUpgradePrep.Tests.Packaging;

/// <summary>
/// task.json (Azure Pipelines) and action.yml (GitHub) are the CLI seen from a pipeline: one input per CLI option, with
/// the same default, the secret inputs, and the outputs the CLI really sets. These tests keep the three in step.
/// </summary>
public sealed partial class PipelineContractTests
{
    /// <summary>Inputs that are not CLI options: the mode is the command; the secrets reach orchprep as ORCHPREP_* variables.</summary>
    private static readonly string[] SecretInputs = ["sqlPassword", "wsUser", "wsPassword", "smkPassword"];

    private static JsonObject Task { get; } = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("task.json")))!.AsObject();

    private static Dictionary<object, object> Action { get; } =
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(RepositoryPaths.Of("action.yml")));

    private static IEnumerable<JsonObject> TaskInputs => Task["inputs"]!.AsArray().Select(i => i!.AsObject());

    private static Dictionary<string, Dictionary<object, object>> ActionInputs =>
        ((Dictionary<object, object>)Action["inputs"]).ToDictionary(kv => (string)kv.Key, kv => (Dictionary<object, object>)kv.Value);

    private static RunOptions Options { get; } = new();

    private static IEnumerable<Option> CliOptions => Options.Common.Concat(Options.PrepareOnly).Concat(Options.ResumeOnly);

    /// <summary>--check-timeout → checkTimeout: task input names allow letters and digits only.</summary>
    private static string InputName(Option option) =>
        Regex.Replace(option.Name.TrimStart('-'), "-([a-z])", m => m.Groups[1].Value.ToUpperInvariant());

    /// <summary>sqlPassword → ORCHPREP_SQL_PASSWORD, the launcher's rule.</summary>
    private static string EnvName(string input) => "ORCHPREP_" + Regex.Replace(input, "([a-z0-9])([A-Z])", "$1_$2").ToUpperInvariant();

    [Fact]
    public void TaskJson_IsValidAgainstTheTaskSchema()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Of("tasks/azure-pipelines/task.schema.json")));

        var result = schema.Evaluate(JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("task.json"))).RootElement,
            new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void TaskSchema_RefusesWhatTheAgentWouldNot()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Of("tasks/azure-pipelines/task.schema.json")));
        bool Valid(Action<JsonObject> change)
        {
            var copy = JsonNode.Parse(Task.ToJsonString())!.AsObject();
            change(copy);
            return schema.Evaluate(JsonDocument.Parse(copy.ToJsonString()).RootElement).IsValid;
        }

        Assert.True(Valid(_ => { }));
        Assert.False(Valid(t => t["friendlyName"] = new string('x', 41)));
        Assert.False(Valid(t => t["execution"] = new JsonObject { ["Node22"] = new JsonObject { ["target"] = "index.js" } }));
        Assert.False(Valid(t => t["inputs"]![0]!["name"] = "drain-timeout"));
        Assert.False(Valid(t => t["version"]!["Patch"] = "1"));
        Assert.False(Valid(t => t["inptus"] = new JsonArray()));
    }

    [Fact]
    public void EveryCliOption_HasATaskInputAndAnActionInputOfTheSameName()
    {
        var taskNames = TaskInputs.Select(i => (string)i["name"]!).ToList();
        var actionNames = ActionInputs.Keys.ToList();

        foreach (var name in CliOptions.Select(InputName))
        {
            Assert.Contains(name, taskNames);
            Assert.Contains(name, actionNames);
        }

        // Nothing else: every other input is the mode, a secret, or (the action only) the container image.
        var known = CliOptions.Select(InputName).Concat(SecretInputs).Append("mode").ToHashSet();
        Assert.DoesNotContain(taskNames, n => !known.Contains(n));
        Assert.DoesNotContain(actionNames, n => !known.Contains(n) && n != "image");
        Assert.Equal(taskNames, actionNames.Where(n => n != "image"));
    }

    [Fact]
    public void SecretInputs_ReachOrchprepAsTheSecretVariablesItMasks()
    {
        foreach (var input in SecretInputs)
        {
            // wsUser travels with the credentials (environment only) but a user name is data, not a secret (ADR 0011).
            if (input == "wsUser")
            {
                Assert.DoesNotContain(EnvName(input), SecretEnvironment.WellKnownNames);
            }
            else
            {
                Assert.Contains(EnvName(input), SecretEnvironment.WellKnownNames);
            }

            Assert.Equal("", (string)TaskInputs.Single(i => (string)i["name"]! == input)["defaultValue"]!);
        }
    }

    [Fact]
    public void ActionInputs_HaveTheTaskInputsDefaults()
    {
        foreach (var input in TaskInputs)
        {
            var name = (string)input["name"]!;
            Assert.True(ActionInputs[name].TryGetValue("default", out var actionDefault), $"action.yml input {name} has no default");
            Assert.Equal(input["defaultValue"]!.ToString(), (string)actionDefault);
            Assert.Equal(input["required"]?.GetValue<bool>() ?? false, bool.Parse((string)ActionInputs[name]["required"]));
        }
    }

    [Theory]
    [InlineData(RunMode.Check)]
    [InlineData(RunMode.Prepare)]
    [InlineData(RunMode.Resume)]
    public void InputDefaults_AreTheCliDefaults_SettingEveryInputToItsDefaultChangesNothing(RunMode mode)
    {
        var defaults = TaskInputs.Where(i => (string)i["name"]! != "mode")
            .ToDictionary(i => EnvName((string)i["name"]!), i => (string?)i["defaultValue"]!.ToString());

        var untouched = Resolve(mode, _ => null);
        var fromDefaults = Resolve(mode, name => defaults.GetValueOrDefault(name));

        Assert.Equal(JsonSerializer.Serialize(untouched), JsonSerializer.Serialize(fromDefaults));
    }

    [Fact]
    public void PipelinesDocInputTable_ListsEveryInput()
    {
        // The task and action inputs table moved from the README to docs/pipelines.md.
        var page = File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "pipelines.md")));

        foreach (var name in TaskInputs.Select(i => (string)i["name"]!).Append("image"))
        {
            Assert.Contains($"| `{name}`", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ModeInput_OffersExactlyTheRunCommands()
    {
        var mode = TaskInputs.Single(i => (string)i["name"]! == "mode");

        Assert.Equal(["check", "prepare", "resume"], mode["options"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal("check", (string)mode["defaultValue"]!);
    }

    [Fact]
    public void PickLists_DefaultToOneOfTheirOptions_AndOfferOnlyValuesTheCliAccepts()
    {
        foreach (var input in TaskInputs.Where(i => (string)i["type"]! == "pickList"))
        {
            var options = input["options"]!.AsObject().Select(kv => kv.Key).ToList();
            Assert.Contains((string)input["defaultValue"]!, options);
            if ((string)input["name"]! == "mode")
            {
                continue;
            }

            // The resolver throws (exit 2) on a value the CLI does not accept.
            var env = EnvName((string)input["name"]!);
            foreach (var value in options.Where(v => v.Length > 0))
            {
                var exception = Record.Exception(() => Resolve(RunMode.Prepare, name => name == env ? value : null));
                Assert.True(exception is null, $"{env}={value}: {exception?.Message}");
            }
        }
    }

    [Fact]
    public void VisibleRules_NameExistingInputs()
    {
        var names = TaskInputs.Select(i => (string)i["name"]!).ToHashSet();
        var rules = TaskInputs.Select(i => (string?)i["visibleRule"])
            .Concat(Task["groups"]!.AsArray().Select(g => (string?)g!["visibleRule"]))
            .OfType<string>();
        foreach (var rule in rules)
        {
            foreach (Match m in RuleOperand().Matches(rule))
            {
                Assert.Contains(m.Groups[1].Value, names);
            }
        }
    }

    [Fact]
    public void Outputs_AreTheOnesTheCliSets_InBothFiles()
    {
        var source = File.ReadAllText(RepositoryPaths.Of("src/OrchUpgradePrep.Cli/Commands/RunCommand.cs"));
        var set = SetOutputCall().Matches(source).Select(m => m.Groups[1].Value).Order().ToList();
        var task = Task["outputVariables"]!.AsArray().Select(o => (string)o!["name"]!).Order().ToList();
        var action = ((Dictionary<object, object>)Action["outputs"]).Keys.Cast<string>().Order().ToList();

        Assert.Equal(["backupPath", "backupSha256", "outcome", "reportPath"], set);
        Assert.Equal(set, task);
        Assert.Equal(set, action);
    }

    [Fact]
    public void Handlers_RunTheLauncherThatShipsWithTheTask()
    {
        var execution = Task["execution"]!.AsObject();
        Assert.Equal(["Node24", "Node20_1"], execution.Select(kv => kv.Key));
        foreach (var (_, handler) in execution)
        {
            Assert.True(File.Exists(RepositoryPaths.Of(Path.Combine("tasks", "azure-pipelines", (string)handler!["target"]!))));
        }

        var runs = (Dictionary<object, object>)Action["runs"];
        Assert.Equal("node24", runs["using"]);
        Assert.True(File.Exists(RepositoryPaths.Of((string)runs["main"])));
    }

    [Fact]
    public void ActionYml_InputIdsAndTextsAreValidForGitHub()
    {
        foreach (var (name, input) in ActionInputs)
        {
            Assert.Matches("^[A-Za-z_][A-Za-z0-9_-]*$", name);
            Assert.False(string.IsNullOrWhiteSpace((string)input["description"]));
            // GitHub would not evaluate an expression in action metadata; one there would only confuse a reader.
            Assert.DoesNotContain("${{", (string)input["description"], StringComparison.Ordinal);
        }
    }

    private static RunRequest Resolve(RunMode mode, Func<string, string?> environment)
    {
        var command = new Command("run");
        foreach (var option in CliOptions)
        {
            command.Options.Add(option);
        }

        return new RunRequestResolver(Options, environment).Resolve(command.Parse([]), mode);
    }

    [GeneratedRegex(@"(?:^|&&|\|\|)\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=|!=|<|>)")]
    private static partial Regex RuleOperand();

    [GeneratedRegex("SetOutput\\(\"([A-Za-z0-9]+)\"")]
    private static partial Regex SetOutputCall();
}
