using System.Text;
using System.Xml;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Orchestrator;

/// <summary>
/// Request bodies for the Jobs entity set, written with XmlWriter so property values are escaped. The stop body
/// is the job's own entry as Microsoft's OrchestratorServiceModule sends it: links dropped, published/updated
/// from the job's times with a Z, Status set to Canceled, every other property kept with its m:type.
/// </summary>
internal static class AtomJobEntryWriter
{
    private const string JobCategory = "Microsoft.SystemCenter.Orchestrator.WebService.Job";
    private const string CategoryScheme = "http://schemas.microsoft.com/ado/2007/08/dataservices/scheme";

    public static byte[] CancelBody(AtomEntry job)
    {
        return Write(writer =>
        {
            if (job.AtomId is { } id)
            {
                writer.WriteElementString("id", Atom, id);
            }

            writer.WriteStartElement("title", Atom);
            writer.WriteAttributeString("type", "text");
            writer.WriteEndElement();
            if (job.Text("CreationTime") is { Length: > 0 } created)
            {
                writer.WriteElementString("published", Atom, AsUtc(created));
            }

            writer.WriteElementString("updated", Atom, AsUtc(job.RequiredText("LastModifiedTime")));
            writer.WriteStartElement("author", Atom);
            writer.WriteStartElement("name", Atom);
            writer.WriteEndElement();
            writer.WriteEndElement();
            WriteCategory(writer, job.CategoryTerm ?? JobCategory, job.CategoryScheme ?? CategoryScheme);
            WriteProperties(writer, job.Properties.Select(p => p.Name == "Status" ? p with { Value = JobStatus.Canceled, IsNull = false } : p));
        });
    }

    public static byte[] StartBody(Guid runbookId)
    {
        return Write(writer =>
        {
            WriteCategory(writer, JobCategory, CategoryScheme);
            WriteProperties(writer, [new AtomProperty("RunbookId", "Edm.Guid", false, runbookId.ToString("D"))]);
        });
    }

    // The service's Edm.DateTime has no zone and means UTC; Atom dates need one.
    private static string AsUtc(string edmDateTime) => edmDateTime.EndsWith('Z') ? edmDateTime : edmDateTime + "Z";

    private static string Atom => AtomFeedReader.Atom.NamespaceName;

    private static byte[] Write(Action<XmlWriter> writeContent)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument(standalone: true);
            writer.WriteStartElement("entry", Atom);
            writer.WriteAttributeString("xmlns", "d", null, AtomFeedReader.D.NamespaceName);
            writer.WriteAttributeString("xmlns", "m", null, AtomFeedReader.M.NamespaceName);
            writeContent(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private static void WriteCategory(XmlWriter writer, string term, string scheme)
    {
        writer.WriteStartElement("category", Atom);
        writer.WriteAttributeString("term", term);
        writer.WriteAttributeString("scheme", scheme);
        writer.WriteEndElement();
    }

    private static void WriteProperties(XmlWriter writer, IEnumerable<AtomProperty> properties)
    {
        var m = AtomFeedReader.M.NamespaceName;
        writer.WriteStartElement("content", Atom);
        writer.WriteAttributeString("type", "application/xml");
        writer.WriteStartElement("properties", m);
        foreach (var property in properties)
        {
            writer.WriteStartElement(property.Name, AtomFeedReader.D.NamespaceName);
            if (property.EdmType is { } type)
            {
                writer.WriteAttributeString("type", m, type);
            }

            if (property.IsNull)
            {
                writer.WriteAttributeString("null", m, "true");
            }
            else
            {
                writer.WriteString(property.Value);
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }
}
