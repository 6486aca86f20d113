using System.Globalization;
using System.Text.Json;
using OrchUpgradePrep.Platform.HostFacts.Snapshot;
using OrchUpgradePrep.Sandbox.Scenarios;

namespace OrchUpgradePrep.Sandbox.Host;

/// <summary>Writes a sandbox host as an admin's snapshot folder: one <c>reg export</c> file per subtree
/// (the first named registry.reg) and host.json — the same files docs/snapshots.md tells admins to make.</summary>
internal static class SandboxSnapshotWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(SandboxHost host, string folder, DateTimeOffset now)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < host.Exports.Count; i++)
        {
            var export = host.Exports[i];
            var fileName = i == 0 ? "registry.reg" : $"{i + 1:00}-{Slug(export.Root)}.reg";
            using var stream = File.Create(Path.Combine(folder, fileName));
            RegExportWriter.Write(stream, export.Keys.Select(k => new RegExportKey(@"HKEY_LOCAL_MACHINE\" + k.Path, k.Values)));
        }

        var facts = host.Facts;
        var document = new
        {
            schemaVersion = 1,
            hostName = host.Name,
            capturedAt = "2026-11-20T10:00:00Z",
            operatingSystem = new { caption = facts.Caption, version = $"10.0.{facts.Build}", build = facts.Build, installationType = facts.InstallationType },
            hardware = new
            {
                totalPhysicalMemoryBytes = facts.MemoryBytes,
                cpuCores = facts.CpuCores,
                logicalProcessors = facts.LogicalProcessors,
                maxClockSpeedMHz = facts.MaxClockSpeedMHz,
            },
            volumes = new[] { new { name = "C:", sizeBytes = 136_365_211_648L, freeBytes = facts.FreeBytesOnC } },
            dotnetRuntimes = facts.AspNetCoreRuntimes
                .SelectMany(v => new[] { new { name = "Microsoft.AspNetCore.App", version = v }, new { name = "Microsoft.NETCore.App", version = v } })
                .ToArray(),
            processes = facts.Processes,
            sessions = facts.Sessions,
            services = facts.Services,
            localGroups = facts.LocalGroups,
            accounts = facts.Accounts.Select(a => new { name = a.Account, lockedOut = a.LockedOut, disabled = a.Disabled, passwordExpired = a.PasswordExpired }).ToArray(),
            dscLocalConfigurationManager = facts.DscLcmState is { } lcm ? new { present = true, lcmState = (string?)lcm } : new { present = false, lcmState = (string?)null },
            files = facts.Files,
            // No sandbox host has a Configuration Manager client (SOFTWARE\Microsoft\CCM is absent too).
            configMgrReboot = new { clientPresent = false },
            absentRegistryKeys = host.AbsentKeys,
        };
        File.WriteAllText(Path.Combine(folder, "host.json"), JsonSerializer.Serialize(document, Json));
        if (facts.IisRequests is { } requests)
        {
            WriteIisLogs(Path.Combine(folder, SnapshotHostFacts.IisLogsFolderName, "W3SVC1"), requests, now);
        }
    }

    /// <summary>One u_exYYMMDD.log a day, as IIS writes them (UTF-8, W3C extended, the default fields), each file's
    /// last write time its last request's.</summary>
    private static void WriteIisLogs(string folder, IReadOnlyList<SandboxIisRequest> requests, DateTimeOffset now)
    {
        Directory.CreateDirectory(folder);
        foreach (var day in requests.Select(r => (Request: r, Time: now - r.Ago)).OrderBy(r => r.Time).GroupBy(r => r.Time.UtcDateTime.Date))
        {
            var lines = new List<string>
            {
                "#Software: Microsoft Internet Information Services 10.0",
                "#Version: 1.0",
                string.Create(CultureInfo.InvariantCulture, $"#Date: {day.Key:yyyy-MM-dd} 00:00:00"),
                "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
            };
            lines.AddRange(day.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} 10.0.0.20 GET {r.Request.UriStem} - 81 {Field(r.Request.UserName)} {r.Request.ClientIp} {Field(r.Request.UserAgent?.Replace(' ', '+'))} - {r.Request.Status} 0 0 15")));
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"u_ex{day.Key:yyMMdd}.log"));
            File.WriteAllLines(path, lines);
            File.SetLastWriteTimeUtc(path, day.Max(r => r.Time).UtcDateTime);
        }
    }

    private static string Field(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    private static string Slug(string root) =>
        string.Concat(root.Split('\\').Last().Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
}
