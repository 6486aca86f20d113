using System.IO.Abstractions;
using System.Xml;
using System.Xml.Linq;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.HostFacts.IisLogs;

/// <summary>
/// Where IIS writes each site's W3C logs, from applicationHost.config: a site's own <c>&lt;logFile directory&gt;</c>,
/// else <c>&lt;siteDefaults&gt;&lt;logFile directory&gt;</c>, else <c>%SystemDrive%\inetpub\logs\LogFiles</c>; the site's
/// files are <c>u_ex*.log</c> in <c>W3SVC&lt;id&gt;</c> below it (docs/facts/iis-logs.md). Every site is read (the legacy
/// web service's site is port 81 by default, but an admin may have moved it); only the query's URI stem is kept.
/// </summary>
public static class IisLogLocations
{
    public const string ApplicationHostConfig = @"%windir%\System32\inetsrv\config\applicationHost.config";
    public const string DefaultDirectory = @"%SystemDrive%\inetpub\logs\LogFiles";

    /// <summary>The log files of every site that logs in W3C format, and notes on the sites that do not.</summary>
    public static (IReadOnlyList<IisLogScanner.LogFile> Files, IReadOnlyList<string> Notes) Find(IFileSystem fileSystem, Func<string, string> expand)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(expand);
        var configPath = expand(ApplicationHostConfig);
        XDocument config;
        try
        {
            if (!fileSystem.File.Exists(configPath))
            {
                throw new HostFactsException($"IIS is not installed here ({configPath} does not exist), so no IIS log can be read");
            }

            using var stream = fileSystem.File.OpenRead(configPath);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            config = XDocument.Load(reader);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HostFactsException($"access denied reading {configPath}: the account running orchprep needs to be a local administrator to find the IIS log folders", ex);
        }
        catch (Exception ex) when (ex is IOException or XmlException)
        {
            throw new HostFactsException($"cannot read {configPath}: {ex.Message}", ex);
        }

        var host = config.Root?.Element("system.applicationHost");
        if (host?.Element("log")?.Attribute("centralLogFileMode")?.Value is { } central && !string.Equals(central, "Site", StringComparison.OrdinalIgnoreCase))
        {
            throw new HostFactsException($"IIS logs centrally here (centralLogFileMode {central} in {configPath}); orchprep reads per-site W3C logs only. Export the central log's lines into a snapshot's iis-logs folder (docs/snapshots.md)");
        }

        var sites = host?.Element("sites");
        var defaults = sites?.Element("siteDefaults")?.Element("logFile");
        var files = new List<IisLogScanner.LogFile>();
        var notes = new List<string>();
        foreach (var site in sites?.Elements("site") ?? [])
        {
            var name = site.Attribute("name")?.Value ?? "(unnamed)";
            var id = site.Attribute("id")?.Value;
            var own = site.Element("logFile");
            var format = own?.Attribute("logFormat")?.Value ?? defaults?.Attribute("logFormat")?.Value ?? "W3C";
            var enabled = own?.Attribute("enabled")?.Value ?? defaults?.Attribute("enabled")?.Value ?? "true";
            if (id is null)
            {
                notes.Add($"site '{name}' has no id in applicationHost.config: its log folder is unknown");
                continue;
            }

            if (!string.Equals(enabled, "true", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add($"site '{name}' (id {id}) has logging off: its requests are not in any log");
                continue;
            }

            if (!string.Equals(format, "W3C", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add($"site '{name}' (id {id}) logs in the {format} format, which orchprep does not read");
                continue;
            }

            var directory = expand(own?.Attribute("directory")?.Value ?? defaults?.Attribute("directory")?.Value ?? DefaultDirectory);
            var folder = fileSystem.Path.Combine(directory, "W3SVC" + id);
            if (!fileSystem.Directory.Exists(folder))
            {
                notes.Add($"site '{name}' (id {id}): {folder} does not exist (nothing logged yet)");
                continue;
            }

            try
            {
                files.AddRange(fileSystem.Directory.GetFiles(folder, "u_ex*.log").Select(f => new IisLogScanner.LogFile(f, f)));
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new HostFactsException($"access denied listing {folder}: the account running orchprep needs read access to the IIS log folder", ex);
            }
        }

        return (files, notes);
    }
}
