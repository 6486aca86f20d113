using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

/// <summary>One request the fake GitHub API received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// GitHub's REST API as far as the gate uses it, on loopback: installation tokens, check runs (create, update) and the
/// deployment protection rule callback, under <c>/api/v3/</c> as Octokit addresses any host but github.com. Records
/// every request; <see cref="Fail"/> makes chosen requests answer an error.
/// </summary>
internal sealed partial class FakeGitHubApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private int _tokens;
    private int _checkRuns;

    private FakeGitHubApi(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public Uri BaseUrl => new(_app.Urls.First() + "/");

    /// <summary>The URL a webhook names as <c>deployment_callback_url</c> for a workflow run.</summary>
    public Uri CallbackUrl(string owner, string repo, long runId) => new(BaseUrl, $"api/v3/repos/{owner}/{repo}/actions/runs/{runId}/deployment_protection_rule");

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A status code to answer instead (null: answer normally).</summary>
    public Func<RecordedRequest, int?> Fail { get; set; } = _ => null;

    public IReadOnlyList<string> IssuedTokens { get; private set; } = [];

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

    public IReadOnlyList<RecordedRequest> TokenRequests => Requests.Where(r => r.Path.EndsWith("/access_tokens", StringComparison.Ordinal)).ToList();
    public IReadOnlyList<RecordedRequest> CheckRunCreates => Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/check-runs", StringComparison.Ordinal)).ToList();
    public IReadOnlyList<RecordedRequest> CheckRunUpdates => Requests.Where(r => r.Method == "PATCH" && r.Path.Contains("/check-runs/", StringComparison.Ordinal)).ToList();
    public IReadOnlyList<RecordedRequest> Reviews => Requests.Where(r => r.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal)).ToList();

    public static async Task<FakeGitHubApi> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var fake = new FakeGitHubApi(app, time);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body);
        lock (_lock)
        {
            _requests.Add(request);
        }

        if (Fail(request) is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { message = "injected failure" }, context.RequestAborted);
            return;
        }

        var path = request.Path;
        if (request.Method == "POST" && TokenPath().IsMatch(path))
        {
            var token = $"ghs_fakeInstallationToken{Interlocked.Increment(ref _tokens)}x{Guid.NewGuid():N}";
            lock (_lock)
            {
                IssuedTokens = [.. IssuedTokens, token];
            }

            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["token"] = token,
                ["expires_at"] = (_time.GetUtcNow() + TokenLifetime).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            }, context.RequestAborted);
        }
        else if (request.Method == "POST" && CheckRunsPath().Match(path) is { Success: true } create)
        {
            var id = Interlocked.Increment(ref _checkRuns);
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(CheckRun(create.Groups[1].Value, create.Groups[2].Value, id, request.Json), context.RequestAborted);
        }
        else if (request.Method == "PATCH" && CheckRunPath().Match(path) is { Success: true } update)
        {
            await context.Response.WriteAsJsonAsync(CheckRun(update.Groups[1].Value, update.Groups[2].Value, long.Parse(update.Groups[3].Value, CultureInfo.InvariantCulture), request.Json), context.RequestAborted);
        }
        else if (request.Method == "POST" && ReviewPath().IsMatch(path))
        {
            context.Response.StatusCode = 204;
        }
        else
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { message = "Not Found" }, context.RequestAborted);
        }
    }

    private Dictionary<string, object?> CheckRun(string owner, string repo, long id, JsonElement request) => new()
    {
        ["id"] = id,
        ["name"] = request.TryGetProperty("name", out var name) ? name.GetString() : "orchprep",
        ["head_sha"] = request.TryGetProperty("head_sha", out var sha) ? sha.GetString() : "0000000",
        ["status"] = "completed",
        ["conclusion"] = request.TryGetProperty("conclusion", out var conclusion) ? conclusion.GetString() : "success",
        ["html_url"] = $"https://github.example/{owner}/{repo}/runs/{id}",
        ["url"] = new Uri(BaseUrl, $"api/v3/repos/{owner}/{repo}/check-runs/{id}").ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    [GeneratedRegex("^/api/v3/app/installations/[0-9]+/access_tokens$")]
    private static partial Regex TokenPath();

    [GeneratedRegex("^/api/v3/repos/([^/]+)/([^/]+)/check-runs$")]
    private static partial Regex CheckRunsPath();

    [GeneratedRegex("^/api/v3/repos/([^/]+)/([^/]+)/check-runs/([0-9]+)$")]
    private static partial Regex CheckRunPath();

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/actions/runs/[0-9]+/deployment_protection_rule$")]
    private static partial Regex ReviewPath();
}
