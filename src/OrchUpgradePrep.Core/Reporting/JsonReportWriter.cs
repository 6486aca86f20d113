using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Reporting;

/// <summary>
/// Renders report.json (schemaVersion 1; docs/report-schema.json, docs/outputs.md).
/// Names are camelCase, enums their <see cref="WireNames"/> spelling, timestamps ISO-8601 with offset.
/// </summary>
public sealed class JsonReportWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        // Relaxed: a person reads this file too, so '<', '&' and non-ASCII stay as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the report as indented JSON followed by a newline. The caller opens the sink as UTF-8 without BOM.</summary>
    public void Write(Report report, TextWriter writer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteReport(json, report);
        }

        writer.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        writer.Write('\n');
    }

    private static void WriteReport(Utf8JsonWriter json, Report report)
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", report.SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", report.Tool.Name);
        json.WriteString("version", report.Tool.Version);
        json.WriteEndObject();
        json.WriteString("mode", WireNames.Of(report.Mode));
        json.WriteString("environment", report.Environment);
        json.WriteString("target", report.Target);
        if (report.TargetLevel is { } targetLevel)
        {
            json.WriteString("targetLevel", targetLevel);
        }

        json.WriteString("outcome", WireNames.Of(report.Outcome));
        json.WriteString("startedAt", report.StartedAt);
        json.WriteString("finishedAt", report.FinishedAt);

        json.WriteStartArray("checks");
        foreach (var check in report.Checks)
        {
            WriteCheck(json, check);
        }

        json.WriteEndArray();

        json.WriteStartArray("actions");
        foreach (var action in report.Actions)
        {
            json.WriteStartObject();
            json.WriteString("kind", WireNames.Of(action.Kind));
            json.WriteString("target", action.Target);
            json.WriteString("outcome", WireNames.Of(action.Outcome));
            json.WriteString("detail", action.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (report.Backup is null)
        {
            json.WriteNull("backup");
        }
        else
        {
            WriteBackup(json, report.Backup);
        }

        json.WriteStartArray("notes");
        foreach (var note in report.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter json, CheckResult check)
    {
        json.WriteStartObject();
        json.WriteString("id", check.Id);
        json.WriteString("prerequisite", WireNames.Of(check.Prerequisite));
        json.WriteString("host", check.Host);
        json.WriteString("status", WireNames.Of(check.Status));
        json.WriteString("title", check.Title);
        json.WriteString("detail", check.Detail);
        json.WriteStartArray("evidence");
        foreach (var evidence in check.Evidence)
        {
            json.WriteStartObject();
            json.WriteString("source", evidence.Source);
            json.WriteString("value", evidence.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("remediation", check.Remediation);
        json.WriteString("helpUri", check.HelpUri);
        json.WriteNumber("durationMs", check.DurationMs);
        json.WriteEndObject();
    }

    private static void WriteBackup(Utf8JsonWriter json, BackupSummary backup)
    {
        json.WriteStartObject("backup");
        json.WriteStartArray("files");
        foreach (var file in backup.Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteNumber("bytes", file.Bytes);
            json.WriteString("sha256", file.Sha256);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("copyOnly", backup.CopyOnly);
        json.WriteBoolean("checksum", backup.Checksum);
        json.WriteBoolean("compressed", backup.Compressed);
        json.WriteString("verified", WireNames.Of(backup.Verified));
        json.WriteString("firstLsn", backup.FirstLsn);
        json.WriteString("lastLsn", backup.LastLsn);
        if (backup.RestoredOn is { } restoredOn)
        {
            json.WriteString("restoredOn", restoredOn);
        }

        json.WriteEndObject();
    }
}
