using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>
/// Writes the documents a WCF Data Service (OData v2, Atom) sends: feeds, single entries and error documents, in the
/// shape clients of the Orchestrator web service parse (docs/facts/orchestrator-versions.md#web-service). Property times are UTC without a
/// zone (<c>yyyy-MM-ddTHH:mm:ss.fff</c>), as the service writes its DateTime columns; no <c>m:etag</c> is sent, since
/// the real service sending one is unconfirmed.
/// </summary>
internal sealed class AtomWriter(Uri serviceRoot, SandboxOrchestrator orchestrator)
{
    public const string AtomNs = "http://www.w3.org/2005/Atom";
    public const string DataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    public const string MetadataNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
    public const string SchemeNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme";
    public const string RelatedNs = "http://schemas.microsoft.com/ado/2007/08/dataservices/related/";
    public const string TypeNamespace = "Microsoft.SystemCenter.Orchestrator.WebService.";

    /// <summary>Runbooks and servers carry no times in the model; the service still sends them, so they get fixed ones.</summary>
    private static readonly DateTime DesignTime = new(2013, 9, 2, 9, 15, 0, 250, DateTimeKind.Utc);
    private const string DesignerSid = "S-1-5-21-1004336348-1177238915-682003330-500";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
    };

    public byte[] JobFeed(IReadOnlyList<SandboxJob> jobs, int? count, DateTimeOffset now) =>
        Feed(EntitySets.Jobs, now, count, w => jobs.ToList().ForEach(j => WriteJob(w, j, root: false)));

    public byte[] JobEntry(SandboxJob job) => Write(w => WriteJob(w, job, root: true));

    public byte[] RunbookFeed(IReadOnlyList<SandboxRunbook> runbooks, int? count, DateTimeOffset now) =>
        Feed(EntitySets.Runbooks, now, count, w => runbooks.ToList().ForEach(r => WriteRunbook(w, r, root: false)));

    public byte[] RunbookEntry(SandboxRunbook runbook) => Write(w => WriteRunbook(w, runbook, root: true));

    public byte[] ServerFeed(IReadOnlyList<SandboxRunbookServer> servers, int? count, DateTimeOffset now) =>
        Feed(EntitySets.RunbookServers, now, count, w => servers.ToList().ForEach(s => WriteServer(w, s, root: false)));

    public byte[] ServerEntry(SandboxRunbookServer server) => Write(w => WriteServer(w, server, root: true));

    /// <summary>The service document the service root answers with.</summary>
    public byte[] ServiceDocument() => Write(w =>
    {
        const string App = "http://www.w3.org/2007/app";
        w.WriteStartElement("service", App);
        w.WriteAttributeString("xml", "base", null, serviceRoot.ToString());
        w.WriteAttributeString("xmlns", "atom", null, AtomNs);
        w.WriteAttributeString("xmlns", App);
        w.WriteStartElement("workspace", App);
        w.WriteElementString("title", AtomNs, "Default");
        foreach (var set in EntitySets.All)
        {
            w.WriteStartElement("collection", App);
            w.WriteAttributeString("href", set);
            w.WriteElementString("title", AtomNs, set);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    });

    /// <summary>The error document (application/xml) every failing request gets.</summary>
    public static byte[] Error(string message) => Write(w =>
    {
        w.WriteStartElement("error", MetadataNs);
        w.WriteStartElement("code", MetadataNs);
        w.WriteFullEndElement();
        w.WriteStartElement("message", MetadataNs);
        w.WriteAttributeString("xml", "lang", null, "en-US");
        w.WriteString(message);
        w.WriteEndElement();
        w.WriteEndElement();
    });

    public static string Key(Guid id) => $"guid'{id:D}'";

    public static string FormatDateTime(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private byte[] Feed(string set, DateTimeOffset now, int? count, Action<XmlWriter> writeEntries) => Write(w =>
    {
        w.WriteStartElement("feed", AtomNs);
        WriteRootAttributes(w);
        w.WriteStartElement("title", AtomNs);
        w.WriteAttributeString("type", "text");
        w.WriteString(set);
        w.WriteEndElement();
        w.WriteElementString("id", AtomNs, serviceRoot + set);
        w.WriteElementString("updated", AtomNs, now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        WriteLink(w, "self", null, set, set);
        if (count is { } total)
        {
            w.WriteElementString("count", MetadataNs, total.ToString(CultureInfo.InvariantCulture));
        }

        writeEntries(w);
        w.WriteEndElement();
    });

    private void WriteRootAttributes(XmlWriter w)
    {
        w.WriteAttributeString("xml", "base", null, serviceRoot.ToString());
        w.WriteAttributeString("xmlns", "d", null, DataNs);
        w.WriteAttributeString("xmlns", "m", null, MetadataNs);
        w.WriteAttributeString("xmlns", AtomNs);
    }

    private void WriteJob(XmlWriter w, SandboxJob job, bool root)
    {
        var server = orchestrator.Server(job.RunbookServerId);
        StartEntry(w, root, EntitySets.Jobs, "Job", job.Id, job.CreationTime, job.LastModifiedTime, [("Runbook", false), ("Instances", true), ("RunbookServer", false)]);
        GuidProperty(w, "Id", job.Id);
        GuidProperty(w, "RunbookId", job.RunbookId);
        StringProperty(w, "Parameters", null);
        StringProperty(w, "RunbookServers", server?.Computer);
        GuidProperty(w, "RunbookServerId", job.RunbookServerId);
        StringProperty(w, "Status", job.Status);
        GuidProperty(w, "ParentId", null);
        BooleanProperty(w, "ParentIsWaiting", false);
        StringProperty(w, "CreatedBy", job.CreatedBy);
        DateTimeProperty(w, "CreationTime", job.CreationTime);
        StringProperty(w, "LastModifiedBy", job.CreatedBy);
        DateTimeProperty(w, "LastModifiedTime", job.LastModifiedTime);
        EndEntry(w);
    }

    private void WriteRunbook(XmlWriter w, SandboxRunbook runbook, bool root)
    {
        StartEntry(w, root, EntitySets.Runbooks, "Runbook", runbook.Id, DesignTime, DesignTime, [("Folder", false), ("Parameters", true), ("Instances", true), ("Jobs", true)]);
        GuidProperty(w, "Id", runbook.Id);
        GuidProperty(w, "FolderId", FolderId(runbook.Path));
        StringProperty(w, "Name", runbook.Name);
        StringProperty(w, "Description", "");
        StringProperty(w, "CreatedBy", DesignerSid);
        DateTimeProperty(w, "CreationTime", DesignTime);
        StringProperty(w, "LastModifiedBy", DesignerSid);
        DateTimeProperty(w, "LastModifiedTime", DesignTime);
        BooleanProperty(w, "IsMonitor", runbook.IsMonitor);
        StringProperty(w, "Path", runbook.Path);
        StringProperty(w, "CheckedOutBy", null);
        DateTimeProperty(w, "CheckedOutTime", null);
        EndEntry(w);
    }

    private void WriteServer(XmlWriter w, SandboxRunbookServer server, bool root)
    {
        StartEntry(w, root, EntitySets.RunbookServers, "RunbookServer", server.Id, DesignTime, DesignTime, []);
        GuidProperty(w, "Id", server.Id);
        StringProperty(w, "Name", server.Computer);
        StringProperty(w, "Description", "");
        EndEntry(w);
    }

    private void StartEntry(XmlWriter w, bool root, string set, string type, Guid id, DateTime published, DateTime updated, IReadOnlyList<(string Name, bool IsFeed)> links)
    {
        var href = $"{set}({Key(id)})";
        w.WriteStartElement("entry", AtomNs);
        if (root)
        {
            WriteRootAttributes(w);
        }

        w.WriteElementString("id", AtomNs, serviceRoot + href);
        w.WriteStartElement("title", AtomNs);
        w.WriteAttributeString("type", "text");
        w.WriteFullEndElement();
        w.WriteElementString("published", AtomNs, FormatDateTime(published) + "Z");
        w.WriteElementString("updated", AtomNs, FormatDateTime(updated) + "Z");
        w.WriteStartElement("author", AtomNs);
        w.WriteStartElement("name", AtomNs);
        w.WriteEndElement();
        w.WriteEndElement();
        WriteLink(w, "edit", null, type, href);
        foreach (var (name, isFeed) in links)
        {
            WriteLink(w, RelatedNs + name, isFeed ? "application/atom+xml;type=feed" : "application/atom+xml;type=entry", name, $"{href}/{name}");
        }

        w.WriteStartElement("category", AtomNs);
        w.WriteAttributeString("term", TypeNamespace + type);
        w.WriteAttributeString("scheme", SchemeNs);
        w.WriteEndElement();
        w.WriteStartElement("content", AtomNs);
        w.WriteAttributeString("type", "application/xml");
        w.WriteStartElement("properties", MetadataNs);
    }

    private static void EndEntry(XmlWriter w)
    {
        w.WriteEndElement(); // m:properties
        w.WriteEndElement(); // content
        w.WriteEndElement(); // entry
    }

    private static void WriteLink(XmlWriter w, string rel, string? type, string title, string href)
    {
        w.WriteStartElement("link", AtomNs);
        w.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            w.WriteAttributeString("type", type);
        }

        w.WriteAttributeString("title", title);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static void GuidProperty(XmlWriter w, string name, Guid? value) =>
        Property(w, name, "Edm.Guid", value?.ToString("D"));

    private static void StringProperty(XmlWriter w, string name, string? value) => Property(w, name, null, value);

    private static void BooleanProperty(XmlWriter w, string name, bool value) => Property(w, name, "Edm.Boolean", value ? "true" : "false");

    private static void DateTimeProperty(XmlWriter w, string name, DateTime? value) =>
        Property(w, name, "Edm.DateTime", value is { } v ? FormatDateTime(v) : null);

    private static void Property(XmlWriter w, string name, string? edmType, string? value)
    {
        w.WriteStartElement("d", name, DataNs);
        if (edmType is not null)
        {
            w.WriteAttributeString("m", "type", MetadataNs, edmType);
        }

        if (value is null)
        {
            w.WriteAttributeString("m", "null", MetadataNs, "true");
            w.WriteEndElement();
            return;
        }

        w.WriteString(value);
        w.WriteFullEndElement();
    }

    /// <summary>A stable id for the runbook's folder (its path without the name): the model keeps no folders.</summary>
    private static Guid FolderId(string path)
    {
        var folder = path.Contains('\\', StringComparison.Ordinal) ? path[..path.LastIndexOf('\\')] : "";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(folder.ToUpperInvariant()));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartDocument(standalone: true);
            body(w);
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }
}
