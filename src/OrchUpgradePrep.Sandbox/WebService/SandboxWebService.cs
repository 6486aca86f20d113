using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrchUpgradePrep.Sandbox.Orchestrator;

namespace OrchUpgradePrep.Sandbox.WebService;

/// <summary>
/// The simulated Orchestrator web service (legacy OData v2, Atom) on 127.0.0.1, in front of the shared
/// <see cref="SandboxOrchestrator"/>: a job stopped here is Canceled in the SQL view too. It serves what real clients
/// send (docs/facts/orchestrator-versions.md#web-service): Jobs, Runbooks and RunbookServers feeds with the documented $filter forms and
/// paging, one entity by key, a job start (POST Jobs) and a job stop (POST + X-HTTP-Method: MERGE, Status=Canceled).
/// Every request needs Basic credentials; 401 offers Negotiate and NTLM as IIS does, and Basic so Linux clients log in.
/// Its audit log holds every request, so tests can prove what a mode sent.
/// </summary>
public sealed partial class SandboxWebService : IAsyncDisposable
{
    public const string ServicePath = "/Orchestrator2012/Orchestrator.svc";

    /// <summary>The SID the sandbox records as creator of jobs started over HTTP (the logged-in user's, on a real server).</summary>
    public const string UserSid = "S-1-5-21-1004336348-1177238915-682003330-1108";

    /// <summary>The 400 message for stopping a job that is not running (hh921684).</summary>
    public const string InvalidTransitionMessage = "The requested operation is not valid. The only valid transition is to change a running job to Canceled.";

    public const string StaleETagMessage = "The etag value in the request header does not match with the current etag value of the object.";

    /// <summary>Largest request body read; more answers 413.</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Kestrel's cap: a larger body is drained up to here (so the client reads its 413) and then cut off.</summary>
    private const long MaxDrainBytes = 16L << 20;

    private const string FeedContentType = "application/atom+xml;type=feed;charset=utf-8";
    private const string EntryContentType = "application/atom+xml;type=entry;charset=utf-8";
    private const string XmlContentType = "application/xml;charset=utf-8";
    private const string Version1 = "1.0;";
    private const string Version2 = "2.0;";

    private readonly WebApplication _app;
    private readonly SandboxOrchestrator _orchestrator;
    private readonly SandboxWebServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _credentials;
    private readonly Lock _gate = new();
    private readonly List<SandboxWebRequest> _audit = [];
    private AtomWriter _atom = null!;
    private long _requests;
    private int _disposed;

    private SandboxWebService(WebApplication app, SandboxOrchestrator orchestrator, SandboxWebServiceOptions options, TimeProvider time)
    {
        _app = app;
        _orchestrator = orchestrator;
        _options = options;
        _time = time;
        _credentials = Encoding.UTF8.GetBytes($"{options.User}:{options.Password}");
    }

    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:PORT/Orchestrator2012/Orchestrator.svc/</c></summary>
    public Uri ServiceRoot { get; private set; } = null!;

    /// <summary>Every request received, in arrival order (a snapshot).</summary>
    public IReadOnlyList<SandboxWebRequest> Audit
    {
        get
        {
            lock (_gate)
            {
                return [.. _audit];
            }
        }
    }

    public static async Task<SandboxWebService> StartAsync(SandboxOrchestrator orchestrator, SandboxWebServiceOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Faults.FailEvery);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Faults.ResetEvery);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Faults.Latency, TimeSpan.Zero);

        // The empty builder reads no appsettings, environment or command line and logs nothing: the sandbox behaves the
        // same on every machine, and many instances in one test run watch no files.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxDrainBytes;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var service = new SandboxWebService(app, orchestrator, options, time);
        app.Run(service.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            service._stopping.Dispose();
            throw;
        }

        var bound = new Uri(app.Urls.First());
        service.Port = bound.Port;
        service.ServiceRoot = new Uri($"http://127.0.0.1:{bound.Port}{ServicePath}/");
        service._atom = new AtomWriter(service.ServiceRoot, orchestrator);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Ends requests still waiting out their latency first, so stopping does not wait for the shutdown timeout.
        await _stopping.CancelAsync();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var sequence = Interlocked.Increment(ref _requests);
        var method = EffectiveMethod(context.Request);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var recorded = 0;

        // Recorded before the client can see the answer (headers about to go out, or the connection about to drop),
        // so a test that reads the audit right after its last response finds that request in it.
        void Record(int status)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                lock (_gate)
                {
                    _audit.Add(new SandboxWebRequest(sequence, method, target, status));
                }
            }
        }

        context.Response.OnStarting(() =>
        {
            Record(context.Response.StatusCode);
            return Task.CompletedTask;
        });
        try
        {
            await AnswerAsync(context, sequence, method, Record);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // Kestrel answers an unhandled failure with 500.
            Record(StatusCodes.Status500InternalServerError);
            throw;
        }
        catch (Exception)
        {
            Record(context.Response.StatusCode);
            throw;
        }
    }

    /// <summary>Answers one request; returns the status code sent, 0 when the connection was dropped instead.</summary>
    private async Task<int> AnswerAsync(HttpContext context, long sequence, string method, Action<int> recordDropped)
    {
        var faults = _options.Faults;
        if (faults.Latency > TimeSpan.Zero)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(faults.Latency, _time, waiting.Token);
            }
            catch (OperationCanceledException)
            {
                recordDropped(0);
                context.Abort();
                return 0;
            }
        }

        if (faults.ResetEvery > 0 && sequence % faults.ResetEvery == 0)
        {
            recordDropped(0);
            context.Abort();
            return 0;
        }

        if (faults.FailEvery > 0 && sequence % faults.FailEvery == 0)
        {
            return await ErrorAsync(context, faults.FailStatus, faults.FailStatus == StatusCodes.Status503ServiceUnavailable ? "Service Unavailable" : "Internal Server Error");
        }

        if (!Authorized(context.Request))
        {
            // IIS with Windows authentication offers these two; Basic is the sandbox's addition.
            context.Response.Headers.Append("WWW-Authenticate", "Negotiate");
            context.Response.Headers.Append("WWW-Authenticate", "NTLM");
            context.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"Orchestrator sandbox\"");
            return await ErrorAsync(context, StatusCodes.Status401Unauthorized, "Access is denied due to invalid credentials.");
        }

        return await RouteAsync(context, method);
    }

    private async Task<int> RouteAsync(HttpContext context, string method)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(ServicePath, StringComparison.OrdinalIgnoreCase))
        {
            return await NotFoundAsync(context, path.TrimStart('/'));
        }

        var rest = path[ServicePath.Length..];
        if (rest is "" or "/")
        {
            return method == "GET"
                ? await SendAsync(context, StatusCodes.Status200OK, "application/atomsvc+xml;charset=utf-8", _atom.ServiceDocument(), Version1)
                : await MethodNotAllowedAsync(context, method);
        }

        var resource = Resource().Match(rest);
        if (!resource.Success || !EntitySets.All.Contains(resource.Groups["set"].Value))
        {
            return await NotFoundAsync(context, rest.TrimStart('/').Split('/')[0].Split('(')[0]);
        }

        var set = resource.Groups["set"].Value;
        Guid? key = null;
        if (resource.Groups["key"] is { Success: true, Value: { Length: > 0 } keyText })
        {
            var match = GuidKey().Match(keyText);
            if (!match.Success)
            {
                return await ErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request - Error in query syntax.");
            }

            key = Guid.Parse(match.Groups["g"].Value);
        }

        return (method, set, key) switch
        {
            ("GET", _, null) => await FeedAsync(context, set),
            ("GET", _, { } id) => await EntryAsync(context, set, id),
            ("POST", EntitySets.Jobs, null) => await StartJobAsync(context),
            ("MERGE", EntitySets.Jobs, { } id) => await StopJobAsync(context, id),
            _ => await MethodNotAllowedAsync(context, method),
        };
    }

    private async Task<int> FeedAsync(HttpContext context, string set)
    {
        if (!ODataQueryOptions.TryParse(context.Request.Query, out var query, out var error))
        {
            return await ErrorAsync(context, StatusCodes.Status400BadRequest, error);
        }

        var faults = _options.Faults;
        if (faults.EndlessPaging)
        {
            query = query with { Skip = 0 };
        }

        int? Count(int total) => !query.InlineCount ? null : faults.EndlessPaging ? 1_000_000 : total;

        var now = _time.GetUtcNow();
        byte[] body;
        switch (set)
        {
            case EntitySets.Jobs:
                if (!ODataFilters.TryParseJobs(query.Filter, out var jobFilter, out error))
                {
                    return await ErrorAsync(context, StatusCodes.Status400BadRequest, error);
                }

                var jobs = _orchestrator.Jobs().Where(jobFilter.Matches).OrderBy(j => j.CreationTime).ThenBy(j => j.Id).ToList();
                body = _atom.JobFeed(query.Page(jobs), Count(jobs.Count), now);
                break;
            case EntitySets.Runbooks:
                if (!ODataFilters.TryParseRunbooks(query.Filter, out var isMonitor, out error))
                {
                    return await ErrorAsync(context, StatusCodes.Status400BadRequest, error);
                }

                var runbooks = _orchestrator.Runbooks.Where(r => isMonitor is not { } m || r.IsMonitor == m).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
                body = _atom.RunbookFeed(query.Page(runbooks), Count(runbooks.Count), now);
                break;
            default:
                if (query.Filter is not null)
                {
                    return await ErrorAsync(context, StatusCodes.Status400BadRequest, ODataFilters.Unsupported(query.Filter));
                }

                var servers = _orchestrator.Servers.OrderBy(s => s.Computer, StringComparer.Ordinal).ThenBy(s => s.Id).ToList();
                body = _atom.ServerFeed(query.Page(servers), Count(servers.Count), now);
                break;
        }

        if (faults.MalformedFeeds)
        {
            body = body[..(body.Length / 2)];
        }

        if (faults.TrickleDelay > TimeSpan.Zero)
        {
            return await TrickleAsync(context, FeedContentType, body, faults.TrickleDelay);
        }

        return await SendAsync(context, StatusCodes.Status200OK, FeedContentType, body, query.InlineCount ? Version2 : Version1);
    }

    /// <summary>Slow-loris: 200 and the headers at once, then one byte per <paramref name="delay"/> until done, the client leaves or the service stops.</summary>
    private async Task<int> TrickleAsync(HttpContext context, string contentType, byte[] body, TimeSpan delay)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await response.StartAsync(waiting.Token);
            for (var i = 0; i < body.Length; i++)
            {
                await response.Body.WriteAsync(body.AsMemory(i, 1), waiting.Token);
                await response.Body.FlushAsync(waiting.Token);
                await Task.Delay(delay, _time, waiting.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }

        return StatusCodes.Status200OK;
    }

    private async Task<int> EntryAsync(HttpContext context, string set, Guid id)
    {
        var body = set switch
        {
            EntitySets.Jobs => _orchestrator.Job(id) is { } job ? _atom.JobEntry(job) : null,
            EntitySets.Runbooks => _orchestrator.Runbook(id) is { } runbook ? _atom.RunbookEntry(runbook) : null,
            _ => _orchestrator.Server(id) is { } server ? _atom.ServerEntry(server) : null,
        };
        return body is null
            ? await NotFoundAsync(context, set)
            : await SendAsync(context, StatusCodes.Status200OK, EntryContentType, body, Version1);
    }

    private async Task<int> StartJobAsync(HttpContext context)
    {
        var (properties, failure) = await ReadEntryAsync(context);
        if (failure != 0)
        {
            return failure;
        }

        if (!properties!.TryGetValue("RunbookId", out var text) || !Guid.TryParse(text, out var runbookId))
        {
            return await ErrorAsync(context, StatusCodes.Status400BadRequest, "The entry has no valid RunbookId (Edm.Guid).");
        }

        if (_orchestrator.Runbook(runbookId) is null)
        {
            return await ErrorAsync(context, StatusCodes.Status400BadRequest, $"The requested runbook {runbookId:D} was not found.");
        }

        var job = _orchestrator.StartJob(runbookId, UserSid);
        context.Response.Headers.Location = new Uri(ServiceRoot, $"{EntitySets.Jobs}({AtomWriter.Key(job.Id)})").ToString();
        return await SendAsync(context, StatusCodes.Status201Created, EntryContentType, _atom.JobEntry(job), Version1);
    }

    private async Task<int> StopJobAsync(HttpContext context, Guid id)
    {
        DateTime? ifMatch = null;
        var ifMatchHeader = context.Request.Headers.IfMatch.ToString();
        if (ifMatchHeader.Length > 0 && ifMatchHeader != "*")
        {
            if (!TryParseETag(ifMatchHeader, out var lastModified))
            {
                return await ErrorAsync(context, StatusCodes.Status400BadRequest, "The If-Match header is not a valid ETag (W/\"datetime'…'\").");
            }

            ifMatch = lastModified;
        }

        var (properties, failure) = await ReadEntryAsync(context);
        if (failure != 0)
        {
            return failure;
        }

        if (!properties!.TryGetValue("Status", out var status) || status != "Canceled")
        {
            return await ErrorAsync(context, StatusCodes.Status400BadRequest, InvalidTransitionMessage);
        }

        return _orchestrator.CancelFromWebService(id, ifMatch) switch
        {
            SandboxCancelOutcome.Canceled => await SendAsync(context, StatusCodes.Status204NoContent, null, [], Version1),
            SandboxCancelOutcome.NotFound => await NotFoundAsync(context, EntitySets.Jobs),
            SandboxCancelOutcome.StaleETag => await ErrorAsync(context, StatusCodes.Status412PreconditionFailed, StaleETagMessage),
            _ => await ErrorAsync(context, StatusCodes.Status400BadRequest, InvalidTransitionMessage),
        };
    }

    /// <summary>Reads and parses the Atom entry in the body; on failure the error response is already sent and its
    /// status returned.</summary>
    private async Task<(IReadOnlyDictionary<string, string?>? Properties, int Failure)> ReadEntryAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return (null, await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyBytes} bytes."));
        }

        var contentType = context.Request.ContentType;
        if (contentType is not null && !IsXmlContentType(contentType))
        {
            return (null, await ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{contentType}' is not supported; send application/atom+xml."));
        }

        if (!AtomEntryReader.TryRead(body, out var properties, out var error))
        {
            return (null, await ErrorAsync(context, StatusCodes.Status400BadRequest, error));
        }

        return (properties, 0);
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (the rest is then drained, up to
    /// Kestrel's cap, so the client can read the 413).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            await DrainAsync(request, cancellationToken);
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        // Bounded: every pass consumes at least one byte and Kestrel ends the body at MaxDrainBytes.
        while (await request.Body.ReadAsync(chunk, cancellationToken) is var read and > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await DrainAsync(request, cancellationToken);
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task DrainAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        try
        {
            while (await request.Body.ReadAsync(chunk, cancellationToken) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Past Kestrel's cap: it closes the connection after the 413.
        }
    }

    /// <summary>Parses <c>W/"datetime'2013-10-01T12%3A34%3A56.123'"</c> (colons percent-encoded or not).</summary>
    internal static bool TryParseETag(string header, out DateTime lastModified)
    {
        lastModified = default;
        var match = ETag().Match(header.Trim());
        return match.Success
            && DateTime.TryParseExact(
                Uri.UnescapeDataString(match.Groups["t"].Value),
                ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out lastModified);
    }

    private static bool IsXmlContentType(string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/atom+xml", StringComparison.OrdinalIgnoreCase) || media.Equals("application/xml", StringComparison.OrdinalIgnoreCase);
    }

    private static string EffectiveMethod(HttpRequest request)
    {
        var tunnelled = request.Headers["X-HTTP-Method"].ToString();
        return HttpMethods.IsPost(request.Method) && tunnelled.Length > 0 ? tunnelled.Trim().ToUpperInvariant() : request.Method.ToUpperInvariant();
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 1024)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[1024];
        return Convert.TryFromBase64String(header[6..].Trim(), decoded, out var written)
            && CryptographicOperations.FixedTimeEquals(decoded[..written], _credentials);
    }

    private static Task<int> NotFoundAsync(HttpContext context, string segment) =>
        ErrorAsync(context, StatusCodes.Status404NotFound, $"Resource not found for the segment '{segment}'.");

    private static Task<int> MethodNotAllowedAsync(HttpContext context, string method) =>
        ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"The sandbox web service does not accept {method} on this resource.");

    private static Task<int> ErrorAsync(HttpContext context, int status, string message) =>
        SendAsync(context, status, XmlContentType, AtomWriter.Error(message), Version1);

    private static async Task<int> SendAsync(HttpContext context, int status, string? contentType, byte[] body, string dataServiceVersion)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers["DataServiceVersion"] = dataServiceVersion;
        response.Headers.CacheControl = "no-cache";
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        if (body.Length > 0)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }

        return status;
    }

    [GeneratedRegex(@"^/(?<set>[A-Za-z]+)(?:\((?<key>[^()/]*)\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Resource();

    [GeneratedRegex(@"^guid'(?<g>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})'$", RegexOptions.CultureInvariant)]
    private static partial Regex GuidKey();

    [GeneratedRegex(@"^W/""datetime'(?<t>[0-9A-Za-z%:.\-]{1,64})'""$", RegexOptions.CultureInvariant)]
    private static partial Regex ETag();
}
