using System.Net;
using System.Text;

namespace OrchUpgradePrep.Tests.Platform.Orchestrator;

/// <summary>One request as the fake service saw it.</summary>
internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string PathAndQuery => Uri.PathAndQuery;

    /// <summary>The path under the service root, without the query: "Jobs()", "Runbooks", "Jobs(guid'…')".</summary>
    public string Resource => Uri.AbsolutePath.StartsWith(ODataDocuments.RootPath, StringComparison.Ordinal)
        ? Uri.AbsolutePath[ODataDocuments.RootPath.Length..]
        : Uri.AbsolutePath;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public int Skip => QueryInt("$skip") ?? 0;

    public int? Top => QueryInt("$top");

    private int? QueryInt(string name) => Uri.Query.TrimStart('?').Split('&')
        .Select(part => part.Split('=', 2))
        .Where(pair => pair.Length == 2 && pair[0] == name)
        .Select(pair => (int?)int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture))
        .FirstOrDefault();
}

/// <summary>
/// An in-process stand-in for the web service: answers each request from a script and records it
/// (method, URL, raw headers, body). No network.
/// </summary>
internal sealed class FakeOrchestratorService : HttpMessageHandler
{
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly List<RecordedRequest> _requests = [];

    public FakeOrchestratorService(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public FakeOrchestratorService(Func<RecordedRequest, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    /// <summary>Released once per request received, before it is answered.</summary>
    public SemaphoreSlim Received { get; } = new(0);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static HttpResponseMessage Xml(HttpStatusCode status, string body, string? etag = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(body, new UTF8Encoding(false), "application/atom+xml"),
        };
        if (etag is not null)
        {
            response.Headers.TryAddWithoutValidation("ETag", etag);
        }

        return response;
    }

    public static HttpResponseMessage Ok(string body, string? etag = null) => Xml(HttpStatusCode.OK, body, etag);

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new ByteArrayContent([]) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.NonValidated)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var body = "";
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                headers[header.Key] = header.Value.ToString();
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body);
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        Received.Release();
        return await _respond(recorded, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Received.Dispose();
        }

        base.Dispose(disposing);
    }
}
