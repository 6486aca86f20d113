using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrchUpgradePrep.Platform.HostFacts.Snapshot;

/// <summary>Reads host.json strictly: unknown properties, wrong types and missing required fields are errors
/// with file, line and column, so a typo cannot silently drop a fact.</summary>
public static class HostSnapshotReader
{
    public const long MaxFileBytes = 16L * 1024 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    public static HostSnapshotDocument Parse(string json, string fileName)
    {
        HostSnapshotDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<HostSnapshotDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"({line + 1},{(ex.BytePositionInLine ?? 0) + 1})" : string.Empty;
            throw new SnapshotFormatException($"{fileName}{where}: {Describe(ex)}", ex);
        }

        if (document is null)
        {
            throw new SnapshotFormatException($"{fileName}: the file holds null, not a host.json object");
        }

        if (document.SchemaVersion != HostSnapshotDocument.CurrentSchemaVersion)
        {
            throw new SnapshotFormatException($"{fileName}: schemaVersion {document.SchemaVersion} is not supported (this orchprep reads {HostSnapshotDocument.CurrentSchemaVersion})");
        }

        Validate(document, fileName);
        return document;
    }

    private static void Validate(HostSnapshotDocument document, string fileName)
    {
        var problems = new List<string>();
        if (document.Hardware is { } hardware)
        {
            if (hardware.TotalPhysicalMemoryBytes <= 0) problems.Add("hardware.totalPhysicalMemoryBytes must be > 0");
            if (hardware.CpuCores <= 0) problems.Add("hardware.cpuCores must be > 0");
            if (hardware.LogicalProcessors < hardware.CpuCores) problems.Add("hardware.logicalProcessors must be ≥ cpuCores");
            if (hardware.MaxClockSpeedMHz <= 0) problems.Add("hardware.maxClockSpeedMHz must be > 0");
        }

        if (document.OperatingSystem is { } os && os.Build <= 0)
        {
            problems.Add("operatingSystem.build must be > 0");
        }

        foreach (var volume in document.Volumes ?? [])
        {
            if (volume.FreeBytes < 0 || volume.SizeBytes < 0 || volume.FreeBytes > volume.SizeBytes)
            {
                problems.Add($"volumes '{volume.Name}': need 0 ≤ freeBytes ≤ sizeBytes");
            }
        }

        if (document.ConfigMgrReboot is { ClientPresent: true } ccm && (ccm.ReturnValue is null || ccm.RebootPending is null || ccm.IsHardRebootPending is null))
        {
            problems.Add("configMgrReboot: with clientPresent true, returnValue, rebootPending and isHardRebootPending are required");
        }

        if (problems.Count > 0)
        {
            throw new SnapshotFormatException($"{fileName}: " + string.Join("; ", problems));
        }
    }

    // System.Text.Json's message ends with "Path: … | LineNumber: … | BytePositionInLine: …"; we print those ourselves.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut].TrimEnd(' ', '|');
        }

        return ex.Path is { Length: > 0 } path && !message.Contains(path, StringComparison.Ordinal) ? $"{message} (at {path})" : message;
    }
}
