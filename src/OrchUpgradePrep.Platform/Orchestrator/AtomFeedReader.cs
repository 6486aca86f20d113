using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Orchestrator;

/// <summary>One <c>d:</c> property of an entry as sent: the raw text is kept so it can be written back unchanged.</summary>
internal sealed record AtomProperty(string Name, string? EdmType, bool IsNull, string Value);

/// <summary>An Atom entry's OData properties plus what a MERGE needs back (id, category, m:etag).</summary>
internal sealed class AtomEntry
{
    public required IReadOnlyList<AtomProperty> Properties { get; init; }
    public string? AtomId { get; init; }
    public string? CategoryTerm { get; init; }
    public string? CategoryScheme { get; init; }

    /// <summary>The entry's <c>m:etag</c> attribute, or the answer's ETag header; null when neither came.</summary>
    public string? ETag { get; init; }

    public AtomProperty? Find(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public string? Text(string name) => Find(name) is { IsNull: false } p ? p.Value : null;

    public string RequiredText(string name) =>
        Text(name) is { Length: > 0 } text ? text : throw new OrchestratorApiException($"the entry has no d:{name}");

    public Guid RequiredGuid(string name) => Guid(name) ?? throw new OrchestratorApiException($"the entry has no d:{name}");

    public Guid? Guid(string name) => Text(name) switch
    {
        null or "" => null,
        var text => System.Guid.TryParse(text, out var id) ? id : throw new OrchestratorApiException($"d:{name} is not a Guid"),
    };

    /// <summary>Edm.DateTime carries no zone (2013-10-01T12:34:56.123); the service means UTC.</summary>
    public DateTimeOffset? DateTime(string name) => Text(name) switch
    {
        null or "" => null,
        var text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new OrchestratorApiException($"d:{name} is not an Edm.DateTime"),
    };

    public bool Boolean(string name) => Text(name) switch
    {
        null or "" => false,
        var text => bool.TryParse(text, out var value) ? value : throw new OrchestratorApiException($"d:{name} is not an Edm.Boolean"),
    };
}

/// <summary>A feed page: its entries, the <c>m:count</c> total (with $inlinecount=allpages) and the next-page link.</summary>
internal sealed record AtomFeed(IReadOnlyList<AtomEntry> Entries, long? Count, Uri? NextLink, Uri? XmlBase);

/// <summary>
/// Reads the service's Atom documents with DTDs prohibited, no resolver and a character cap, so a hostile
/// or broken answer is an <see cref="OrchestratorApiException"/>, never an entity expansion or a fetch.
/// </summary>
internal static class AtomFeedReader
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace D = "http://schemas.microsoft.com/ado/2007/08/dataservices";
    public static readonly XNamespace M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";

    public static XmlReaderSettings SafeSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        MaxCharactersInDocument = maxCharacters,
        Async = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static async Task<AtomFeed> ReadFeedAsync(byte[] body, Uri requestUri, long maxCharacters, CancellationToken cancellationToken)
    {
        var root = await LoadRootAsync(body, Atom + "feed", maxCharacters, cancellationToken).ConfigureAwait(false);
        var xmlBase = XmlBase(root, requestUri);
        var count = root.Element(M + "count") is { } countElement
            ? long.TryParse(countElement.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                ? total
                : throw new OrchestratorApiException("m:count is not a number")
            : (long?)null;
        var next = root.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == "next");
        Uri? nextLink = null;
        if (next is not null)
        {
            nextLink = (string?)next.Attribute("href") is { Length: > 0 } href && Uri.TryCreate(xmlBase ?? requestUri, href, out var resolved)
                ? resolved
                : throw new OrchestratorApiException("the next link has no usable href");
        }

        var entries = root.Elements(Atom + "entry").Select(e => Entry(e, etagHeader: null)).ToList();
        return new AtomFeed(entries, count, nextLink, xmlBase);
    }

    public static async Task<AtomEntry> ReadEntryAsync(byte[] body, string? etagHeader, long maxCharacters, CancellationToken cancellationToken)
    {
        var root = await LoadRootAsync(body, Atom + "entry", maxCharacters, cancellationToken).ConfigureAwait(false);
        return Entry(root, etagHeader);
    }

    /// <summary>The service's <c>&lt;error&gt;&lt;message&gt;</c> text, or null when the body is not such a document.</summary>
    public static async Task<string?> ReadErrorMessageAsync(byte[] body, long maxCharacters, CancellationToken cancellationToken)
    {
        try
        {
            var root = await LoadRootAsync(body, M + "error", maxCharacters, cancellationToken).ConfigureAwait(false);
            return root.Element(M + "message")?.Value.Trim() is { Length: > 0 } message ? Shorten(message) : null;
        }
        catch (OrchestratorApiException)
        {
            return null;
        }
    }

    private static async Task<XElement> LoadRootAsync(byte[] body, XName expectedRoot, long maxCharacters, CancellationToken cancellationToken)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            using var reader = XmlReader.Create(stream, SafeSettings(maxCharacters));
            document = await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw new OrchestratorApiException($"the answer is not acceptable XML: {ex.Message}", ex);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // System.Xml's reader (.NET 10.0.12) throws this instead of XmlException when an XML declaration holds
            // multi-byte characters before its encoding attribute (found by fuzzing, fuzz/corpus/atom/xml-declaration-multibyte.xml).
            throw new OrchestratorApiException($"the answer is not acceptable XML: its XML declaration cannot be read ({ex.Message})", ex);
        }

        var root = document.Root ?? throw new OrchestratorApiException("the answer has no root element");
        return root.Name == expectedRoot
            ? root
            : throw new OrchestratorApiException($"expected <{expectedRoot.LocalName}> ({expectedRoot.NamespaceName}), got <{root.Name.LocalName}> ({root.Name.NamespaceName})");
    }

    private static AtomEntry Entry(XElement entry, string? etagHeader)
    {
        // Media-link entries carry m:properties beside <content>, others inside it.
        var properties = entry.Element(Atom + "content")?.Element(M + "properties")
            ?? entry.Element(M + "properties")
            ?? throw new OrchestratorApiException("an entry has no m:properties");
        var category = entry.Element(Atom + "category");
        return new AtomEntry
        {
            AtomId = entry.Element(Atom + "id")?.Value,
            CategoryTerm = (string?)category?.Attribute("term"),
            CategoryScheme = (string?)category?.Attribute("scheme"),
            ETag = (string?)entry.Attribute(M + "etag") ?? etagHeader,
            Properties = properties.Elements()
                .Where(p => p.Name.Namespace == D)
                .Select(p => new AtomProperty(
                    p.Name.LocalName,
                    (string?)p.Attribute(M + "type"),
                    string.Equals((string?)p.Attribute(M + "null"), "true", StringComparison.OrdinalIgnoreCase),
                    p.Value))
                .ToList(),
        };
    }

    private static Uri? XmlBase(XElement root, Uri requestUri) =>
        (string?)root.Attribute(XNamespace.Xml + "base") is { Length: > 0 } text && Uri.TryCreate(requestUri, text, out var resolved)
            ? resolved
            : null;

    private static string Shorten(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 500), "…");
}
