using System.Xml;

namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>
/// Reads the properties of an Atom <c>&lt;entry&gt;</c> a client POSTs (start) or MERGEs (stop). The reader refuses
/// DTDs (so no entity expansion: billion laughs fails at once), resolves nothing external and reads at most
/// <see cref="MaxCharacters"/>; the caller has already capped the body's bytes.
/// </summary>
internal static class AtomEntryReader
{
    public const int MaxCharacters = 1 << 20;
    private const int MaxProperties = 256;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>The <c>d:</c> properties inside the entry's <c>m:properties</c> by local name (null for <c>m:null="true"</c>);
    /// false with a reason when the body is not such an entry.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> body, out IReadOnlyDictionary<string, string?> properties, out string error)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        properties = found;
        error = "";
        if (body.IsEmpty)
        {
            error = "The request body is empty; an Atom entry is required.";
            return false;
        }

        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "entry" || reader.NamespaceURI != AtomWriter.AtomNs)
            {
                error = "The request body is not an Atom entry (expected <entry xmlns=\"http://www.w3.org/2005/Atom\">).";
                return false;
            }

            var sawProperties = false;
            var propertiesDepth = -1;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "properties" && reader.NamespaceURI == AtomWriter.MetadataNs)
                {
                    sawProperties = true;
                    propertiesDepth = reader.Depth;
                    if (reader.IsEmptyElement)
                    {
                        propertiesDepth = -1;
                    }

                    reader.Read();
                    continue;
                }

                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == propertiesDepth)
                {
                    propertiesDepth = -1;
                }
                else if (reader.NodeType == XmlNodeType.Element && propertiesDepth >= 0 && reader.Depth == propertiesDepth + 1 && reader.NamespaceURI == AtomWriter.DataNs)
                {
                    if (found.Count >= MaxProperties)
                    {
                        error = "The entry has too many properties.";
                        return false;
                    }

                    var name = reader.LocalName;
                    var isNull = reader.GetAttribute("null", AtomWriter.MetadataNs) == "true";
                    var value = reader.ReadElementContentAsString();
                    found[name] = isNull ? null : value;
                    continue;
                }

                reader.Read();
            }

            if (!sawProperties)
            {
                error = "The Atom entry has no m:properties.";
                return false;
            }

            return true;
        }
        catch (XmlException e)
        {
            error = $"The request body is not valid XML: {e.Message}";
            return false;
        }
        catch (ArgumentOutOfRangeException e)
        {
            // System.Xml's reader throws this, not XmlException, for some malformed XML declarations (see AtomFeedReader).
            error = $"The request body is not valid XML: its XML declaration cannot be read ({e.Message})";
            return false;
        }
    }
}
