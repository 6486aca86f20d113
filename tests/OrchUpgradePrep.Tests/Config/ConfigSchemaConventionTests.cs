using System.Text.Json.Nodes;
using System.Text.Json;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;
using Xunit;

namespace OrchUpgradePrep.Tests.Config;

/// <summary>
/// docs/orchprep.schema.json and <see cref="ConfigLoader"/> describe the same file: every schema key is
/// accepted by the loader, any other key is rejected, and the enum lists are the loader's values.
/// </summary>
public sealed class ConfigSchemaConventionTests
{
    private static readonly JsonElement Schema = LoadSchema();

    // The loader's accepted values per schema path ("*" is an environment name, "[]" a list item).
    private static readonly Dictionary<string, IReadOnlyList<string>> LoaderEnums = new()
    {
        ["environments.*.target"] = TargetLevels.ConfigSpellings,
        ["environments.*.sql.auth"] = WireNames.All<SqlAuth>(),
        ["environments.*.sql.encrypt"] = WireNames.All<SqlEncrypt>(),
        ["environments.*.webService.auth"] = WireNames.All<WebServiceAuth>(),
        ["environments.*.hosts[].roles[]"] = WireNames.All<HostRole>(),
        ["environments.*.policies.drain.mode"] = WireNames.All<DrainMode>(),
        ["environments.*.policies.drain.monitors"] = WireNames.All<MonitorPolicy>(),
        ["environments.*.policies.backup.compression"] = WireNames.All<BackupCompression>(),
        ["environments.*.policies.verify"] = WireNames.All<VerifyLevel>(),
        ["environments.*.policies.verify.level"] = WireNames.All<VerifyLevel>(),
    };

    public static TheoryData<string> SchemaKeyPaths() => [.. ObjectSchemas().SelectMany(o => PropertyNames(o.Schema).Select(k => Join(o.Path, k)))];

    // Objects with fixed keys; the environments map takes any (valid) environment name instead.
    public static TheoryData<string> ObjectPaths() => [.. ObjectSchemas().Where(o => o.Schema.TryGetProperty("properties", out _)).Select(o => o.Path)];

    [Theory]
    [MemberData(nameof(SchemaKeyPaths))]
    public void EverySchemaKey_IsAcceptedByTheLoader(string keyPath)
    {
        var config = ConfigLoader.Parse(BuildDocument(keyPath), "schema-sample.yml");

        Assert.Single(config.Environments);
    }

    [Theory]
    [MemberData(nameof(ObjectPaths))]
    public void EveryObjectInTheSchema_RejectsExtraKeys_AndSoDoesTheLoader(string objectPath)
    {
        var schema = ObjectSchemas().Single(o => o.Path == objectPath).Schema;
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean(), $"'{objectPath}' must set additionalProperties: false");

        var document = BuildDocumentWithExtraKey(objectPath);

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(document, "schema-sample.yml"));
        Assert.Contains("unknown key 'unexpectedKey'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaEnums_EqualTheLoadersAcceptedValues()
    {
        var schemaEnums = EnumSchemas().ToDictionary(e => e.Path, e => e.Values);

        Assert.Equal(LoaderEnums.Keys.Order(), schemaEnums.Keys.Order());
        foreach (var (path, values) in LoaderEnums)
        {
            Assert.Equal(values.Order(), schemaEnums[path].Distinct().Order());
        }
    }

    [Fact]
    public void EverySchemaEnumValue_IsAcceptedByTheLoader()
    {
        foreach (var (path, values) in EnumSchemas())
        {
            foreach (var value in values.Distinct())
            {
                ConfigLoader.Parse(BuildDocumentWithValue(path, value), "schema-sample.yml");
            }
        }
    }

    [Fact]
    public void SchemaRequiredKeys_AreRequiredByTheLoader()
    {
        foreach (var (path, schema) in ObjectSchemas())
        {
            if (!schema.TryGetProperty("required", out var required))
            {
                continue;
            }

            foreach (var key in required.EnumerateArray().Select(r => r.GetString()!))
            {
                var document = BuildDocumentWithout(path, key);

                var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(document, "schema-sample.yml"));
                Assert.Contains($"'{Join(path, key).Replace("*", "sample", StringComparison.Ordinal).Replace("[]", "[0]", StringComparison.Ordinal)}' is required", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Schema_IsEmbeddedInTheCoreAssembly()
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream("orchprep.schema.json");

        Assert.NotNull(stream);
    }

    private static JsonElement LoadSchema()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("docs/orchprep.schema.json")));
        return document.RootElement.Clone();
    }

    private static JsonElement Resolve(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/$defs/".Length..];
            return Resolve(Schema.GetProperty("$defs").GetProperty(name));
        }

        return schema;
    }

    // Resolved child schemas by the name used in paths: properties by key, a map's value as "*", list items as "[]".
    private static IEnumerable<(string Segment, JsonElement Schema)> Children(JsonElement schema)
    {
        if (ObjectBranch(schema) is { } branch)
        {
            schema = branch;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                yield return (property.Name, property.Value);
            }
        }

        if (schema.TryGetProperty("additionalProperties", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            yield return ("*", map);
        }
    }

    private static IEnumerable<string> PropertyNames(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name) : [];

    private static IEnumerable<(string Path, JsonElement Schema)> ObjectSchemas() => Walk(Schema, "").Where(n => IsType(n.Schema, "object"));

    private static IEnumerable<(string Path, IReadOnlyList<string> Values)> EnumSchemas() =>
        Walk(Schema, "")
            .Where(n => n.Schema.TryGetProperty("enum", out _))
            .Select(n => (n.Path, (IReadOnlyList<string>)[.. n.Schema.GetProperty("enum").EnumerateArray().Select(v => v.ToString())]));

    private static IEnumerable<(string Path, JsonElement Schema)> Walk(JsonElement schema, string path)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var branches))
        {
            // A value of several forms (policies.verify: a scalar or a mapping): each form at the same path.
            foreach (var branch in branches.EnumerateArray())
            {
                foreach (var node in Walk(branch, path))
                {
                    yield return node;
                }
            }

            yield break;
        }

        yield return (path, schema);
        foreach (var (segment, child) in Children(schema))
        {
            foreach (var node in Walk(child, Join(path, segment)))
            {
                yield return node;
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            foreach (var node in Walk(items, path + "[]"))
            {
                yield return node;
            }
        }
    }

    private static string Join(string path, string segment) => path.Length == 0 ? segment : path + "." + segment;

    private static bool IsType(JsonElement schema, string type) =>
        schema.TryGetProperty("type", out var t)
        && (t.ValueKind == JsonValueKind.String ? t.GetString() == type : t.EnumerateArray().Any(x => x.GetString() == type));

    /// <summary>
    /// A minimal valid document built from the schema alone (required keys, first anyOf branch, examples,
    /// defaults, first enum value), extended so that every object on <paramref name="path"/> exists.
    /// Returns the document and the node at the path.
    /// </summary>
    private static (JsonNode Document, JsonNode Node) Ensure(string path)
    {
        var document = Minimal(Schema);
        var node = document;
        var schema = Schema;
        foreach (var raw in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var isList = raw.EndsWith("[]", StringComparison.Ordinal);
            var segment = isList ? raw[..^2] : raw;
            var name = segment == "*" ? "sample" : segment;
            var childSchema = Children(Resolve(schema)).Single(c => c.Segment == segment).Schema;
            var parent = node.AsObject();
            parent[name] ??= Minimal(childSchema);
            if (parent[name] is not JsonObject && !isList && ObjectBranch(Resolve(childSchema)) is { } objectForm)
            {
                // Going deeper needs the mapping form of a value that may also be a scalar.
                parent[name] = Minimal(objectForm);
            }

            node = parent[name]!;
            schema = childSchema;
            if (isList)
            {
                var list = node.AsArray();
                schema = Resolve(schema).GetProperty("items");
                if (list.Count == 0)
                {
                    list.Add(Minimal(schema));
                }

                node = list[0]!;
            }
        }

        return (document, node);
    }

    private static string BuildDocument(string keyPath)
    {
        var (parentPath, key) = Split(keyPath);
        var (document, parent) = Ensure(parentPath);
        var parentSchema = Resolve(ResolvePath(parentPath));
        var childSchema = Children(parentSchema).Single(c => c.Segment == key).Schema;
        parent.AsObject()[key] ??= Minimal(childSchema);
        ApplyCondition(ObjectBranch(parentSchema) ?? parentSchema, parent.AsObject());
        return document.ToJsonString();
    }

    /// <summary>The object form of a value that may take several (oneOf); null when it has none.</summary>
    private static JsonElement? ObjectBranch(JsonElement schema) =>
        schema.TryGetProperty("oneOf", out var branches)
            ? branches.EnumerateArray().Select(Resolve).Where(b => IsType(b, "object")).Cast<JsonElement?>().FirstOrDefault()
            : null;

    /// <summary>An object's if/then on a present key (restoreServer needs level: restore): the then's consts are set.</summary>
    private static void ApplyCondition(JsonElement schema, JsonObject node)
    {
        if (!schema.TryGetProperty("if", out var condition) || !condition.TryGetProperty("required", out var required)
            || !required.EnumerateArray().All(r => node.ContainsKey(r.GetString()!)))
        {
            return;
        }

        if (!schema.GetProperty("then").TryGetProperty("properties", out var then))
        {
            return;
        }

        foreach (var property in then.EnumerateObject())
        {
            if (property.Value.TryGetProperty("const", out var value))
            {
                node[property.Name] = JsonNode.Parse(value.GetRawText());
            }
        }
    }

    private static string BuildDocumentWithExtraKey(string objectPath)
    {
        var (document, node) = Ensure(objectPath);
        node.AsObject()["unexpectedKey"] = "x";
        return document.ToJsonString();
    }

    private static string BuildDocumentWithValue(string enumPath, string value)
    {
        var isItem = enumPath.EndsWith("[]", StringComparison.Ordinal);
        var (parentPath, key) = Split(isItem ? enumPath[..^2] : enumPath);
        var (document, parent) = Ensure(parentPath);
        parent.AsObject()[key] = isItem ? new JsonArray(JsonValue.Create(value)) : JsonValue.Create(value);

        // Honour the schema's conditional requirements (auth: sql needs user and passwordEnv).
        var parentSchema = Resolve(ResolvePath(parentPath));
        if (parentSchema.TryGetProperty("if", out var condition)
            && condition.GetProperty("properties").TryGetProperty(key, out var when)
            && when.GetProperty("const").ToString() == value)
        {
            var children = Children(parentSchema).ToDictionary(c => c.Segment, c => c.Schema);
            foreach (var required in parentSchema.GetProperty("then").GetProperty("required").EnumerateArray().Select(r => r.GetString()!))
            {
                parent.AsObject()[required] ??= Minimal(children[required]);
            }
        }

        return document.ToJsonString();
    }

    private static string BuildDocumentWithout(string objectPath, string key)
    {
        var (document, node) = Ensure(objectPath);
        node.AsObject().Remove(key);
        return document.ToJsonString();
    }

    private static (string Parent, string Key) Split(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? ("", path) : (path[..dot], path[(dot + 1)..]);
    }

    private static JsonElement ResolvePath(string path)
    {
        var nodes = Walk(Schema, "").Where(n => n.Path == path).ToList();
        return nodes.Count == 1 ? nodes[0].Schema : nodes.Single(n => IsType(n.Schema, "object")).Schema;
    }

    private static JsonNode Minimal(JsonElement raw)
    {
        var schema = Resolve(raw);
        if (schema.TryGetProperty("oneOf", out var branches))
        {
            return Minimal(branches[0]);
        }

        if (IsType(schema, "object"))
        {
            var result = new JsonObject();
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            if (schema.TryGetProperty("anyOf", out var anyOf))
            {
                required.AddRange(anyOf[0].GetProperty("required").EnumerateArray().Select(x => x.GetString()!));
            }

            var children = Children(schema).ToDictionary(c => c.Segment, c => c.Schema);
            foreach (var key in required)
            {
                result[key] = Minimal(children[key]);
            }

            if (schema.TryGetProperty("minProperties", out var min) && min.GetInt32() > 0 && children.TryGetValue("*", out var map))
            {
                result["sample"] = Minimal(map);
            }

            return result;
        }

        if (IsType(schema, "array"))
        {
            var needsItem = schema.TryGetProperty("minItems", out var minItems) && minItems.GetInt32() > 0;
            return needsItem ? new JsonArray(Minimal(schema.GetProperty("items"))) : new JsonArray();
        }

        // The property's own examples/default (beside a $ref) win over the referenced definition's.
        foreach (var candidate in new[] { raw, schema })
        {
            foreach (var source in new[] { "examples", "default", "enum" })
            {
                if (candidate.TryGetProperty(source, out var sample))
                {
                    return JsonNode.Parse((sample.ValueKind == JsonValueKind.Array ? sample[0] : sample).GetRawText())!;
                }
            }
        }

        return IsType(schema, "boolean") ? JsonValue.Create(true) : JsonValue.Create("x");
    }
}
