using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OrchUpgradePrep.Ports;
using OrchUpgradePrep.Http;
using Polly;
using Polly.Timeout;

namespace OrchUpgradePrep.Platform.Orchestrator;

/// <summary>
/// <see cref="IOrchestratorApi"/> over the legacy OData v2 Atom web service (…/Orchestrator2012/Orchestrator.svc/).
/// Runbooks and runbook servers are read once and cached; they are re-read only when a job names an id the cache
/// lacks, so a steady poll costs one request per Jobs page.
/// </summary>
public sealed class ODataOrchestratorApi : IOrchestratorApi, IDisposable
{
    private const string AtomAccept = "application/atom+xml,application/xml";
    private const string ActiveJobsQuery = "Jobs()?$filter=Status%20eq%20'Running'%20or%20Status%20eq%20'Pending'";

    private readonly HttpClient _http;
    private readonly Uri _serviceRoot;
    private readonly ODataOrchestratorApiOptions _options;
    private readonly bool _ownsHttp;

    // Reads, MERGE and retries after a transient failure are safe to repeat.
    private readonly ResiliencePipeline<HttpResponseMessage> _repeatable;

    // Creating a job is not: it is retried only when the connection was never made.
    private readonly ResiliencePipeline<HttpResponseMessage> _createOnce;

    private IReadOnlyDictionary<Guid, RunbookInfo>? _runbooks;
    private IReadOnlyDictionary<Guid, string>? _servers;

    public ODataOrchestratorApi(HttpClient http, Uri serviceRoot, ODataOrchestratorApiOptions options, TimeProvider time)
        : this(http, serviceRoot, options, time, ownsHttp: false)
    {
    }

    internal ODataOrchestratorApi(HttpClient http, Uri serviceRoot, ODataOrchestratorApiOptions options, TimeProvider time, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serviceRoot);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxResponseBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        _http = http;
        _serviceRoot = WithTrailingSlash(serviceRoot);
        _options = options;
        _ownsHttp = ownsHttp;
        _repeatable = Pipeline(options, time, HttpResilience.IsTransient);
        _createOnce = Pipeline(options, time, HttpResilience.NeverConnected);
        Description = _serviceRoot.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }

    public string Description { get; }

    public async Task<IReadOnlyList<OrchestratorJob>> ListActiveJobsAsync(CancellationToken cancellationToken)
    {
        var entries = await ReadAllPagesAsync(ActiveJobsQuery, cancellationToken).ConfigureAwait(false);
        // $skip paging over a changing set can repeat an entry that moved between pages.
        var jobs = entries.Select(ParseJob).DistinctBy(j => j.Id).ToList();
        return await ResolveAsync(jobs, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OrchestratorJob?> GetJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var entry = await GetJobEntryAsync(jobId, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : (await ResolveAsync([ParseJob(entry)], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<OrchestratorJob> StopJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var uri = JobUri(jobId);
        var entry = await GetJobEntryAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new OrchestratorApiException($"POST {uri.AbsolutePath}: job {jobId} does not exist", 404);
        if (!ParseJob(entry).IsActive)
        {
            // Already Completed or Canceled: the service would answer 400 (only Running → Canceled is valid).
            return (await ResolveAsync([ParseJob(entry)], cancellationToken).ConfigureAwait(false))[0];
        }

        for (var attempt = 1; ; attempt++)
        {
            var ifMatch = IfMatch(entry);
            var body = AtomJobEntryWriter.CancelBody(entry);
            var answer = await SendAsync(HttpMethod.Post, uri, _repeatable, request =>
            {
                request.Headers.TryAddWithoutValidation("X-HTTP-Method", "MERGE");
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                request.Content = AtomContent(body);
            }, cancellationToken).ConfigureAwait(false);
            if (answer.Status is HttpStatusCode.NoContent or HttpStatusCode.OK)
            {
                break;
            }

            if (answer.Status == HttpStatusCode.PreconditionFailed && attempt == 1)
            {
                // The job changed since it was read (stale ETag): read it again and try once more,
                // unless it has ended meanwhile.
                entry = await GetJobEntryAsync(jobId, cancellationToken).ConfigureAwait(false)
                    ?? throw new OrchestratorApiException($"POST {uri.AbsolutePath}: job {jobId} no longer exists", 404);
                if (!ParseJob(entry).IsActive)
                {
                    return (await ResolveAsync([ParseJob(entry)], cancellationToken).ConfigureAwait(false))[0];
                }

                continue;
            }

            throw await FailureAsync(answer, cancellationToken).ConfigureAwait(false);
        }

        var after = await GetJobEntryAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new OrchestratorApiException($"GET {uri.AbsolutePath}: job {jobId} vanished after it was canceled", 404);
        return (await ResolveAsync([ParseJob(after)], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<OrchestratorJob> StartJobAsync(Guid runbookId, CancellationToken cancellationToken)
    {
        var uri = new Uri(_serviceRoot, "Jobs");
        var body = AtomJobEntryWriter.StartBody(runbookId);
        var answer = await SendAsync(HttpMethod.Post, uri, _createOnce, request => request.Content = AtomContent(body), cancellationToken)
            .ConfigureAwait(false);
        if (answer.Status is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw await FailureAsync(answer, cancellationToken).ConfigureAwait(false);
        }

        var entry = await ParseAsync(answer, (a, ct) => AtomFeedReader.ReadEntryAsync(a.Body, a.ETag, _options.MaxResponseBytes, ct), cancellationToken)
            .ConfigureAwait(false);
        return (await ResolveAsync([ParseJob(entry)], cancellationToken).ConfigureAwait(false))[0];
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Uri JobUri(Guid jobId) => new(_serviceRoot, $"Jobs(guid'{jobId:D}')");

    private async Task<AtomEntry?> GetJobEntryAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, JobUri(jobId), _repeatable, null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (answer.Status != HttpStatusCode.OK)
        {
            throw await FailureAsync(answer, cancellationToken).ConfigureAwait(false);
        }

        return await ParseAsync(answer, (a, ct) => AtomFeedReader.ReadEntryAsync(a.Body, a.ETag, _options.MaxResponseBytes, ct), cancellationToken)
            .ConfigureAwait(false);
    }

    // Every entry of a query: $skip/$top pages until m:count entries were read or a page is empty; a next link,
    // when the service sends one, is followed instead. At most MaxPages pages.

    private async Task<List<AtomEntry>> ReadAllPagesAsync(string query, CancellationToken cancellationToken)
    {
        var separator = query.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        Uri Page(int skip) => new(_serviceRoot, $"{query}{separator}$skip={skip}&$top={_options.PageSize}&$inlinecount=allpages");

        var entries = new List<AtomEntry>();
        var uri = Page(0);
        for (var page = 1; ; page++)
        {
            if (page > _options.MaxPages)
            {
                throw new OrchestratorApiException(
                    $"GET {uri.AbsolutePath}: the service kept sending pages; stopped after {_options.MaxPages} pages ({entries.Count} entries)");
            }

            var answer = await SendAsync(HttpMethod.Get, uri, _repeatable, null, cancellationToken).ConfigureAwait(false);
            if (answer.Status != HttpStatusCode.OK)
            {
                throw await FailureAsync(answer, cancellationToken).ConfigureAwait(false);
            }

            var requested = uri;
            var feed = await ParseAsync(answer, (a, ct) => AtomFeedReader.ReadFeedAsync(a.Body, requested, _options.MaxResponseBytes, ct), cancellationToken)
                .ConfigureAwait(false);
            entries.AddRange(feed.Entries);
            if (feed.Entries.Count == 0 || (feed.Count is { } total && entries.Count >= total))
            {
                break;
            }

            if (feed.NextLink is { } next)
            {
                uri = UnderServiceRoot(next, feed.XmlBase, requested);
                continue;
            }

            if (feed.Count is null && feed.Entries.Count < _options.PageSize)
            {
                break;
            }

            uri = Page(entries.Count);
        }

        return entries;
    }

    // The service writes its own idea of its address into xml:base (the host name it was asked under, or its own).
    // A next link under that base is mapped under the configured root, and one elsewhere is refused, so
    // credentials only ever go to the configured host.

    private Uri UnderServiceRoot(Uri link, Uri? xmlBase, Uri requested)
    {
        if (xmlBase is not null && WithTrailingSlash(xmlBase).AbsoluteUri is var baseText
            && link.AbsoluteUri.StartsWith(baseText, StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(_serviceRoot, link.AbsoluteUri[baseText.Length..]);
        }

        if (Uri.Compare(link, _serviceRoot, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return link;
        }

        throw new OrchestratorApiException($"GET {requested.AbsolutePath}: the next link points outside the service ({link.Host}); not followed");
    }

    private async Task<IReadOnlyList<OrchestratorJob>> ResolveAsync(IReadOnlyList<JobFields> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        var runbooks = _runbooks ?? new Dictionary<Guid, RunbookInfo>();
        if (jobs.Any(j => !runbooks.ContainsKey(j.RunbookId)))
        {
            var entries = await ReadAllPagesAsync("Runbooks", cancellationToken).ConfigureAwait(false);
            runbooks = _runbooks = entries
                .Select(e => Checked(e, "Runbooks", x => (Id: x.RequiredGuid("Id"), Info: new RunbookInfo(x.RequiredText("Name"), x.Text("Path"), x.Boolean("IsMonitor")))))
                .DistinctBy(r => r.Id)
                .ToDictionary(r => r.Id, r => r.Info);
        }

        var servers = _servers ?? new Dictionary<Guid, string>();
        if (jobs.Any(j => j.RunbookServerId is { } id && !servers.ContainsKey(id)))
        {
            var entries = await ReadAllPagesAsync("RunbookServers", cancellationToken).ConfigureAwait(false);
            servers = _servers = entries
                .Select(e => Checked(e, "RunbookServers", x => (Id: x.RequiredGuid("Id"), Name: x.RequiredText("Name"))))
                .DistinctBy(s => s.Id)
                .ToDictionary(s => s.Id, s => s.Name);
        }

        return jobs.Select(j =>
        {
            var runbook = runbooks.GetValueOrDefault(j.RunbookId);
            return new OrchestratorJob
            {
                Id = j.Id,
                RunbookId = j.RunbookId,
                Status = j.Status,
                RunbookName = runbook?.Name ?? j.RunbookId.ToString("D"),
                RunbookPath = runbook?.Path,
                IsMonitor = runbook?.IsMonitor ?? false,
                RunbookServerId = j.RunbookServerId,
                RunbookServer = j.RunbookServerId is { } serverId && servers.TryGetValue(serverId, out var name) ? name : j.RunbookServers,
                CreationTime = j.CreationTime,
                LastModifiedTime = j.LastModifiedTime,
            };
        }).ToList();
    }

    private static JobFields ParseJob(AtomEntry entry) => Checked(entry, "Jobs", e => new JobFields(
        e.RequiredGuid("Id"),
        e.RequiredGuid("RunbookId"),
        e.RequiredText("Status"),
        e.Guid("RunbookServerId"),
        e.Text("RunbookServers"),
        e.DateTime("CreationTime"),
        e.DateTime("LastModifiedTime")));

    private static T Checked<T>(AtomEntry entry, string set, Func<AtomEntry, T> read)
    {
        try
        {
            return read(entry);
        }
        catch (OrchestratorApiException ex)
        {
            throw new OrchestratorApiException($"{set} entry {entry.AtomId}: {ex.Message}", ex);
        }
    }

    // The m:etag or ETag header when the service sent one, else the documented weak ETag from LastModifiedTime.

    private static string IfMatch(AtomEntry job) => job.ETag is { Length: > 0 } etag
        ? etag
        : $"W/\"datetime'{job.RequiredText("LastModifiedTime").Replace(":", "%3A", StringComparison.Ordinal)}'\"";

    private static ByteArrayContent AtomContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/atom+xml");
        return content;
    }

    private async Task<T> ParseAsync<T>(Answer answer, Func<Answer, CancellationToken, Task<T>> parse, CancellationToken cancellationToken)
    {
        try
        {
            return await parse(answer, cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestratorApiException ex)
        {
            throw new OrchestratorApiException($"{answer.Method} {answer.Uri.AbsolutePath}: {ex.Message}", (int)answer.Status, ex);
        }
    }

    private async Task<OrchestratorApiException> FailureAsync(Answer answer, CancellationToken cancellationToken)
    {
        var message = await AtomFeedReader.ReadErrorMessageAsync(answer.Body, _options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        var attempts = answer.Attempts > 1 ? $" after {answer.Attempts} attempts" : "";
        var detail = message is null ? "" : $": {message}";
        var hint = answer.Status switch
        {
            HttpStatusCode.Unauthorized => " (check webService.auth and the credentials' Orchestrator Users membership)",
            HttpStatusCode.Forbidden => " (the account lacks permission on this runbook or job)",
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => $" (redirected to {answer.Location}; set webService.url to that address)",
            _ => "",
        };
        return new OrchestratorApiException(
            $"{answer.Method} {answer.Uri.AbsolutePath}: HTTP {(int)answer.Status} {answer.Reason}{detail}{hint}{attempts}", (int)answer.Status);
    }

    // Sends one request through the retry pipeline. Each attempt reads the whole answer (bounded by MaxResponseBytes)
    // inside its timeout, so a stalled body is a timeout too. Caller cancellation is never retried.

    private async Task<Answer> SendAsync(
        HttpMethod method,
        Uri uri,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        var what = $"{method} {uri.AbsolutePath}";
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.TryAddWithoutValidation("Accept", AtomAccept);
                request.Headers.TryAddWithoutValidation("DataServiceVersion", "1.0;NetFx");
                request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "2.0;NetFx");
                configure?.Invoke(request);
                var sent = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                try
                {
                    await BufferBodyAsync(sent, what, token).ConfigureAwait(false);
                    return sent;
                }
                catch
                {
                    sent.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new OrchestratorApiException(string.Create(CultureInfo.InvariantCulture, $"{what}: no answer within {_options.RequestTimeout.TotalSeconds:0.###} s{AfterAttempts(attempts)}"), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OrchestratorApiException($"{what}: cannot reach the service ({ex.Message}){AfterAttempts(attempts)}", ex);
        }
        catch (IOException ex)
        {
            throw new OrchestratorApiException($"{what}: the connection broke while reading the answer ({ex.Message}){AfterAttempts(attempts)}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var etag = response.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null;
            return new Answer(method, uri, response.StatusCode, response.ReasonPhrase, body, etag, response.Headers.Location, attempts);
        }
    }

    private static string AfterAttempts(int attempts) => attempts > 1 ? $" after {attempts} attempts" : "";

    private async Task BufferBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        var tooLarge = new Func<OrchestratorApiException>(() =>
            new OrchestratorApiException($"{what}: response too large (more than {limit} bytes); not read further", (int)response.StatusCode));
        if (response.Content.Headers.ContentLength > limit)
        {
            throw tooLarge();
        }

        using var buffer = new MemoryStream();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw tooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }

        var buffered = new ByteArrayContent(buffer.ToArray());
        foreach (var header in response.Content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = buffered;
    }

    // The shared pipeline (Http/HttpResilience); this service's differences: no Retry-After (it sends none), backoff capped at
    // 30 s, and a POST that creates (starts a runbook) is asked again only when it never reached the service.
    private static ResiliencePipeline<HttpResponseMessage> Pipeline(
        ODataOrchestratorApiOptions options,
        TimeProvider time,
        Func<Outcome<HttpResponseMessage>, bool> shouldRetry) =>
        HttpResilience.Build(new HttpResilienceOptions
        {
            MaxRetries = options.MaxRetries,
            BaseDelay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(30),
            AttemptTimeout = options.RequestTimeout,
            Time = time,
            ShouldRetry = shouldRetry,
        });

    private static Uri WithTrailingSlash(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"the service root must be an absolute URL: {uri.OriginalString}", nameof(uri));
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
    }

    private sealed record RunbookInfo(string Name, string? Path, bool IsMonitor);

    private sealed record JobFields(
        Guid Id,
        Guid RunbookId,
        string Status,
        Guid? RunbookServerId,
        string? RunbookServers,
        DateTimeOffset? CreationTime,
        DateTimeOffset? LastModifiedTime)
    {
        public bool IsActive => Status is JobStatus.Running or JobStatus.Pending;
    }

    private sealed record Answer(
        HttpMethod Method,
        Uri Uri,
        HttpStatusCode Status,
        string? Reason,
        byte[] Body,
        string? ETag,
        Uri? Location,
        int Attempts);
}
