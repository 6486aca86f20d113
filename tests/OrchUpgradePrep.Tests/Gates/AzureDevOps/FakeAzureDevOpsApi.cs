using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OrchUpgradePrep.Tests.Gates.AzureDevOps;

/// <summary>One request as the fake Azure DevOps API received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake answers; null from a script means "the default answer".</summary>
internal sealed record FakeAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A small Azure DevOps distributed-task API on 127.0.0.1 (Kestrel, free port) that records every request — method, path,
/// query, headers, body — and answers like the service: a created log gets an id, appends and record updates 200, events 200.
/// A script can answer otherwise (faults) per request.
/// </summary>
internal sealed class FakeAzureDevOpsApi : IAsyncDisposable
{
    public const int LogId = 7;

    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _lock = new();
    private Func<RecordedRequest, int, FakeAnswer?> _script = (_, _) => null;

    private FakeAzureDevOpsApi(WebApplication app) => _app = app;

    /// <summary>The collection URI, as PlanUrl carries it (with the trailing slash).</summary>
    public Uri CollectionUri => new(_app.Urls.First().TrimEnd('/') + "/org/");

    /// <summary>scheme://host:port, as ORCHPREP_AZDO_SERVER_URLS lists a server.</summary>
    public Uri Origin => new(_app.Urls.First().TrimEnd('/') + "/");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Answers a request otherwise; the int is how many requests to the same method and path came before it.</summary>
    public void Script(Func<RecordedRequest, int, FakeAnswer?> script) => _script = script;

    public static async Task<FakeAzureDevOpsApi> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var fake = new FakeAzureDevOpsApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken);
        return fake;
    }

    /// <summary>Until a request matches, or fails the test after the timeout (bounded polling, no blocking).</summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (Requests.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException($"no matching request; received: {string.Join(", ", Requests.Select(r => $"{r.Method} {r.Path}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body);
        int before;
        lock (_lock)
        {
            before = _requests.Count(r => r.Method == request.Method && r.Path == request.Path);
            _requests.Add(request);
        }

        var answer = _script(request, before) ?? Default(request);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private static FakeAnswer Default(RecordedRequest request) => request switch
    {
        { Method: "POST" } when request.Path.EndsWith("/logs", StringComparison.Ordinal) =>
            new(200, $$"""{"path":"orchprep.md","lineCount":0,"createdOn":"2025-01-01T00:00:00Z","lastChangedOn":"2025-01-01T00:00:00Z","id":{{LogId}},"location":null}"""),
        { Method: "POST" } when request.Path.Contains("/logs/", StringComparison.Ordinal) =>
            new(200, $$"""{"path":"orchprep.md","lineCount":10,"id":{{LogId}}}"""),
        { Method: "PATCH" } when request.Path.EndsWith("/records", StringComparison.Ordinal) => new(200, """{"count":0,"value":[]}"""),
        { Method: "POST" } when request.Path.EndsWith("/events", StringComparison.Ordinal) => new(200),
        _ => new(404, """{"message":"no such API in the fake"}"""),
    };
}
