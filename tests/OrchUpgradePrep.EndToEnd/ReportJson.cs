using System.Text.Json;

using Xunit;

namespace OrchUpgradePrep.EndToEnd;

/// <summary>Reads report.json as another tool would: by the field names of docs/report-schema.json, not our types.</summary>
internal sealed class ReportJson
{
    private ReportJson(JsonDocument document) => Root = document.RootElement;

    public JsonElement Root { get; }

    public string Outcome => Root.GetProperty("outcome").GetString()!;

    public IReadOnlyList<JsonElement> Checks => Root.GetProperty("checks").EnumerateArray().ToList();

    public static ReportJson Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)));

    public static ReportJson Parse(string json) => new(JsonDocument.Parse(json));

    public JsonElement Check(string id, string host) =>
        Checks.Single(c => c.GetProperty("id").GetString() == id && c.GetProperty("host").GetString() == host);

    public IEnumerable<(string Id, string Host)> WithStatus(string status) =>
        Checks.Where(c => c.GetProperty("status").GetString() == status)
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("host").GetString()!));
}
