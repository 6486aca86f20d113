using System.Text.Json;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Reporting;

/// <summary>
/// docs/report-schema.json lists every value report.json can hold for an enum-valued property, and nothing else:
/// a member added to (or renamed in) one of the C# enums fails here until the published schema says so.
/// </summary>
public sealed class ReportSchemaVocabularyTests
{
    /// <summary>Each enum-valued property of the schema (as a path of property names) and the C# enum the report writes there.</summary>
    public static TheoryData<string, string[]> EnumProperties() => new()
    {
        { "mode", [.. WireNames.All<RunMode>()] },
        { "outcome", [.. WireNames.All<RunOutcome>()] },
        { "checks[].prerequisite", [.. WireNames.All<Prerequisite>()] },
        { "checks[].status", [.. WireNames.All<CheckStatus>()] },
        { "actions[].kind", [.. WireNames.All<ActionKind>()] },
        { "actions[].outcome", [.. WireNames.All<ActionOutcome>()] },
        { "backup.verified", [.. WireNames.All<VerifiedLevel>()] },
    };

    [Theory]
    [MemberData(nameof(EnumProperties))]
    public void Schema_enum_lists_exactly_the_wire_names_of_the_CSharp_enum(string path, string[] wireNames)
    {
        var listed = SchemaEnums()[path];

        Assert.Equal(listed.Distinct(StringComparer.Ordinal).Count(), listed.Count);
        Assert.Equal(Sorted(wireNames), Sorted(listed));
    }

    [Fact]
    public void Every_string_enum_of_the_schema_has_its_CSharp_enum_in_this_test()
    {
        var covered = EnumProperties().Select(row => row.Data.Item1);

        Assert.Empty(SchemaEnums().Keys.Except(covered, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_verify_level_policies_can_ask_for_can_be_reported_as_reached()
    {
        Assert.Empty(WireNames.All<VerifyLevel>().Except(WireNames.All<VerifiedLevel>(), StringComparer.Ordinal));
    }

    [Fact]
    public void The_comparison_fails_for_a_member_the_schema_does_not_list()
    {
        // Proves the theory can fail: an ActionKind with one member more is not what the schema lists.
        var listed = SchemaEnums()["actions[].kind"];

        Assert.NotEqual(Sorted(WireNames.All<ActionKindWithOneMore>()), Sorted(listed));
        Assert.Equal(["restart-host"], WireNames.All<ActionKindWithOneMore>().Except(listed, StringComparer.Ordinal));
    }

    private enum ActionKindWithOneMore
    {
        RunbookStop,
        BlockStarts,
        ClearOrphans,
        CloseProgram,
        Backup,
        Verify,
        SaveKeys,
        StartService,
        StartMonitor,
        RestartHost,
    }

    private static List<string> Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToList();

    /// <summary>Every string-valued <c>enum</c> in the schema by its path ("checks[].status"); schemaVersion's integer enum is not vocabulary.</summary>
    private static Dictionary<string, IReadOnlyList<string>> SchemaEnums()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of(Path.Combine("docs", "report-schema.json"))));
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Collect(document.RootElement, string.Empty, found);
        return found;
    }

    private static void Collect(JsonElement schema, string path, Dictionary<string, IReadOnlyList<string>> found)
    {
        if (schema.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            found[path] = values.EnumerateArray().Select(v => v.GetString()!).ToList();
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                Collect(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", found);
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            Collect(items, path + "[]", found);
        }
    }
}
