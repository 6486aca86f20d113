using System.IO.Abstractions;
using System.Text.Json;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Prerequisites.Backup;

/// <summary>
/// <c>&lt;backup&gt;.orchprep.json</c> beside the backup: what a restore on another server needs to know — the
/// source instance (version, edition, collation), the files to place (FILELISTONLY), LSNs, SHA-256s and where the
/// service master key backup is. Never holds a secret.
/// </summary>
internal sealed class BackupManifest(IFileSystem fileSystem)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string PathFor(string firstFile) => firstFile + ".orchprep.json";

    /// <summary>backup.verified of a manifest's text; null when it is not an orchprep manifest or names no level.</summary>
    public static VerifiedLevel? ReadVerifiedLevel(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String && tool.GetString() == "orchprep"
                && root.TryGetProperty("backup", out var backup) && backup.ValueKind == JsonValueKind.Object
                && backup.TryGetProperty("verified", out var verified) && verified.ValueKind == JsonValueKind.String
                && WireNames.TryParse<VerifiedLevel>(verified.GetString(), out var level)
                ? level
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest; true only when it is on disk (retention counts a set only by its manifest).</summary>
    public bool TryWrite(string firstFile, BackupPreflight preflight, BackupStatement statement, BackupVerificationOutcome verified,
        string? keyFile, DateTimeOffset takenAt, List<ActionRecord> actions)
    {
        var path = PathFor(firstFile);
        var manifest = new
        {
            tool = "orchprep",
            takenAt,
            server = new
            {
                name = preflight.ServerName,
                productVersion = preflight.Server.ProductVersion.ToString(),
                productLevel = preflight.Server.ProductLevel,
                edition = preflight.Server.Edition,
                collation = preflight.Server.ServerCollation,
            },
            database = new { name = preflight.Database, recoveryModel = preflight.RecoveryModel, encrypted = preflight.IsEncrypted },
            backup = new
            {
                name = statement.Name,
                files = verified.Files.Select(f => new { path = f.Path, bytes = f.Bytes, sha256 = f.Sha256 }),
                copyOnly = true,
                checksum = true,
                compressed = statement.Compress,
                verified = WireNames.Of(verified.Level),
                firstLsn = verified.Header?.FirstLsn,
                lastLsn = verified.Header?.LastLsn,
            },
            restoreNeeds = new
            {
                fileList = verified.FileList.Select(f => new { logicalName = f.LogicalName, physicalName = f.PhysicalName, type = f.Type, sizeBytes = f.SizeBytes }),
                serviceMasterKeyFile = keyFile,
                notes = new[]
                {
                    "Restore every file of the backup (all stripes) WITH MOVE for each logical name above.",
                    "A server at the same or a later SQL Server version is needed; the collation above is the source's.",
                    "The Orchestrator service account and SQL logins used by Orchestrator must exist on the new server; the database's users map to them.",
                    "Restore the service master key file (RESTORE SERVICE MASTER KEY … DECRYPTION BY PASSWORD) where linked-server or credential secrets must keep working; its password is the ORCHPREP_SMK_PASSWORD secret.",
                },
            },
        };

        try
        {
            if (!fileSystem.Directory.Exists(fileSystem.Path.GetDirectoryName(path)))
            {
                actions.Add(new ActionRecord(ActionKind.SaveKeys, path, ActionOutcome.Skipped, "the backup folder is not reachable from this runner; the report's backup section holds the same facts"));
                return false;
            }

            fileSystem.File.WriteAllText(path, JsonSerializer.Serialize(manifest, Json));
            actions.Add(new ActionRecord(ActionKind.SaveKeys, path, ActionOutcome.Done, "restore facts (instance, file list, LSNs, SHA-256, key file) saved beside the backup"));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            actions.Add(new ActionRecord(ActionKind.SaveKeys, path, ActionOutcome.Failed, ex.Message));
            return false;
        }
    }
}
