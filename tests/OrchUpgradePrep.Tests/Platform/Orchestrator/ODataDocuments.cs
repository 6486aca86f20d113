using System.Globalization;
using System.Text;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

/// <summary>Documents written byte for byte as the legacy web service sends them (see docs/facts/orchestrator-versions.md#web-service).</summary>
internal static class ODataDocuments
{
    public const string ServiceBase = "http://orch-web01:81/Orchestrator2012/Orchestrator.svc/";
    public const string RootPath = "/Orchestrator2012/Orchestrator.svc/";
    public const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>";
    public const string ActiveJobsQuery = "Jobs()?$filter=Status%20eq%20'Running'%20or%20Status%20eq%20'Pending'";

    public static readonly Uri ServiceRoot = new(ServiceBase);

    private const string Namespaces =
        "xmlns:d=\"http://schemas.microsoft.com/ado/2007/08/dataservices\" xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\" xmlns=\"http://www.w3.org/2005/Atom\"";

    public static string Feed(string title, IEnumerable<string> entries, long? count = null, string? nextHref = null)
    {
        var feed = new StringBuilder();
        feed.Append(Declaration).Append('\n');
        feed.Append(CultureInfo.InvariantCulture, $"<feed xml:base=\"{ServiceBase}\" {Namespaces}>\n");
        feed.Append(CultureInfo.InvariantCulture, $"  <title type=\"text\">{title}</title>\n");
        feed.Append(CultureInfo.InvariantCulture, $"  <id>{ServiceBase}{title}</id>\n");
        feed.Append("  <updated>2013-10-01T12:35:10Z</updated>\n");
        feed.Append(CultureInfo.InvariantCulture, $"  <link rel=\"self\" title=\"{title}\" href=\"{title}\" />\n");
        if (count is { } total)
        {
            feed.Append(CultureInfo.InvariantCulture, $"  <m:count>{total}</m:count>\n");
        }

        foreach (var entry in entries)
        {
            feed.Append(entry);
        }

        if (nextHref is not null)
        {
            feed.Append(CultureInfo.InvariantCulture, $"  <link rel=\"next\" href=\"{nextHref.Replace("&", "&amp;", StringComparison.Ordinal)}\" />\n");
        }

        feed.Append("</feed>");
        return feed.ToString();
    }

    public static string JobEntry(
        Guid id,
        Guid runbookId,
        Guid? runbookServerId,
        string status = "Running",
        string? runbookServers = "ORCH-RB02",
        string lastModified = "2013-10-01T12:34:56.123",
        string? etag = null,
        bool asRoot = false,
        bool withStatus = true)
    {
        var key = $"Jobs(guid'{id:D}')";
        var serverId = runbookServerId is { } sid
            ? $"<d:RunbookServerId m:type=\"Edm.Guid\">{sid:D}</d:RunbookServerId>"
            : "<d:RunbookServerId m:type=\"Edm.Guid\" m:null=\"true\" />";
        var servers = runbookServers is null ? "<d:RunbookServers m:null=\"true\" />" : $"<d:RunbookServers>{runbookServers}</d:RunbookServers>";
        var statusLine = withStatus ? $"<d:Status>{status}</d:Status>" : "";
        return Entry(
            key,
            "Job",
            etag,
            asRoot,
            [
                $"<link rel=\"edit\" title=\"Job\" href=\"{key}\" />",
                $"<link rel=\"http://schemas.microsoft.com/ado/2007/08/dataservices/related/Runbook\" type=\"application/atom+xml;type=entry\" title=\"Runbook\" href=\"{key}/Runbook\" />",
                $"<link rel=\"http://schemas.microsoft.com/ado/2007/08/dataservices/related/Instances\" type=\"application/atom+xml;type=feed\" title=\"Instances\" href=\"{key}/Instances\" />",
                $"<link rel=\"http://schemas.microsoft.com/ado/2007/08/dataservices/related/RunbookServer\" type=\"application/atom+xml;type=entry\" title=\"RunbookServer\" href=\"{key}/RunbookServer\" />",
            ],
            [
                $"<d:Id m:type=\"Edm.Guid\">{id:D}</d:Id>",
                $"<d:RunbookId m:type=\"Edm.Guid\">{runbookId:D}</d:RunbookId>",
                "<d:Parameters m:null=\"true\" />",
                servers,
                serverId,
                statusLine,
                "<d:ParentId m:type=\"Edm.Guid\" m:null=\"true\" />",
                "<d:ParentIsWaiting m:type=\"Edm.Boolean\">false</d:ParentIsWaiting>",
                "<d:CreatedBy>S-1-5-21-1004336348-1177238915-682003330-1105</d:CreatedBy>",
                "<d:CreationTime m:type=\"Edm.DateTime\">2013-10-01T12:30:00.457</d:CreationTime>",
                "<d:LastModifiedBy>S-1-5-21-1004336348-1177238915-682003330-1105</d:LastModifiedBy>",
                $"<d:LastModifiedTime m:type=\"Edm.DateTime\">{lastModified}</d:LastModifiedTime>",
            ],
            published: "2013-10-01T12:30:00.457Z",
            updated: lastModified + "Z");
    }

    public static string RunbookEntry(Guid id, string name, string path, bool isMonitor = false)
    {
        var key = $"Runbooks(guid'{id:D}')";
        return Entry(
            key,
            "Runbook",
            etag: null,
            asRoot: false,
            [$"<link rel=\"edit\" title=\"Runbook\" href=\"{key}\" />"],
            [
                $"<d:Id m:type=\"Edm.Guid\">{id:D}</d:Id>",
                "<d:FolderId m:type=\"Edm.Guid\">1b6dd5b8-4a4a-4f0d-9b8e-0c8a7e3d2f10</d:FolderId>",
                $"<d:Name>{name}</d:Name>",
                "<d:Description></d:Description>",
                "<d:CreatedBy>S-1-5-500</d:CreatedBy>",
                "<d:CreationTime m:type=\"Edm.DateTime\">2013-09-01T08:00:00.1</d:CreationTime>",
                "<d:LastModifiedBy>S-1-5-500</d:LastModifiedBy>",
                "<d:LastModifiedTime m:type=\"Edm.DateTime\">2013-09-02T08:00:00.2</d:LastModifiedTime>",
                $"<d:IsMonitor m:type=\"Edm.Boolean\">{(isMonitor ? "true" : "false")}</d:IsMonitor>",
                $"<d:Path>{path}</d:Path>",
                "<d:CheckedOutBy m:null=\"true\" />",
                "<d:CheckedOutTime m:type=\"Edm.DateTime\" m:null=\"true\" />",
            ],
            published: "2013-09-01T08:00:00.1Z",
            updated: "2013-09-02T08:00:00.2Z");
    }

    public static string ServerEntry(Guid id, string name)
    {
        var key = $"RunbookServers(guid'{id:D}')";
        return Entry(
            key,
            "RunbookServer",
            etag: null,
            asRoot: false,
            [$"<link rel=\"edit\" title=\"RunbookServer\" href=\"{key}\" />"],
            [
                $"<d:Id m:type=\"Edm.Guid\">{id:D}</d:Id>",
                $"<d:Name>{name}</d:Name>",
                "<d:Description></d:Description>",
            ],
            published: "2013-09-01T08:00:00Z",
            updated: "2013-09-01T08:00:00Z");
    }

    public static string Error(string message) =>
        Declaration + "<error xmlns=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\"><code></code><message xml:lang=\"en-US\">"
        + message + "</message></error>";

    private static string Entry(
        string key,
        string type,
        string? etag,
        bool asRoot,
        IEnumerable<string> links,
        IEnumerable<string> properties,
        string published,
        string updated)
    {
        var indent = asRoot ? "" : "  ";
        var entry = new StringBuilder();
        var etagAttribute = etag is null ? "" : $" m:etag=\"{etag.Replace("\"", "&quot;", StringComparison.Ordinal)}\"";
        if (asRoot)
        {
            entry.Append(Declaration).Append('\n');
            entry.Append(CultureInfo.InvariantCulture, $"<entry xml:base=\"{ServiceBase}\" {Namespaces}{etagAttribute}>\n");
        }
        else
        {
            entry.Append(CultureInfo.InvariantCulture, $"  <entry{etagAttribute}>\n");
        }

        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <id>{ServiceBase}{key}</id>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <title type=\"text\"></title>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <published>{published}</published>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <updated>{updated}</updated>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <author><name /></author>\n");
        foreach (var link in links)
        {
            entry.Append(CultureInfo.InvariantCulture, $"{indent}  {link}\n");
        }

        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <category term=\"Microsoft.SystemCenter.Orchestrator.WebService.{type}\" scheme=\"http://schemas.microsoft.com/ado/2007/08/dataservices/scheme\" />\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  <content type=\"application/xml\">\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}    <m:properties>\n");
        foreach (var property in properties.Where(p => p.Length > 0))
        {
            entry.Append(CultureInfo.InvariantCulture, $"{indent}      {property}\n");
        }

        entry.Append(CultureInfo.InvariantCulture, $"{indent}    </m:properties>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}  </content>\n");
        entry.Append(CultureInfo.InvariantCulture, $"{indent}</entry>\n");
        return entry.ToString();
    }
}
