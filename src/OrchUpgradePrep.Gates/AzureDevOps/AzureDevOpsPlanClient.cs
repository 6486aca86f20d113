using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrchUpgradePrep.Http;
using Polly;
using Polly.Timeout;

namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// The few distributed-task calls a check needs, over HttpClient and JSON (the Azure DevOps .NET client is not available):
/// create a log, append to it, attach it to the task's timeline record, raise TaskCompleted. Each call authenticates with
/// the plan's job token as a bearer token, has a per-attempt timeout, and is retried only on transient failures.
/// </summary>
public sealed class AzureDevOpsPlanClient
{
    private readonly HttpClient _http;
    private readonly AzureDevOpsClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public AzureDevOpsPlanClient(HttpClient http, AzureDevOpsClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _pipeline = BuildPipeline(options, time);
    }

    /// <summary>A client for production: no redirects (a redirect could carry the token elsewhere), no cookies, no client-wide timeout (Polly bounds each attempt).</summary>
    public static HttpClient CreateHttpClient(AzureDevOpsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 1024 * 1024 };
    }

    /// <summary>POST …/plans/{planId}/logs: a new log; returns its id.</summary>
    public async Task<int> CreateLogAsync(AzureDevOpsPlan plan, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = await SendAsync(plan, HttpMethod.Post, $"logs?api-version={AzureDevOpsApiVersions.Logs}", "create the log",
            () => Json(new JsonObject { ["path"] = path }), cancellationToken).ConfigureAwait(false);
        try
        {
            var id = JsonNode.Parse(body)?["id"]?.GetValue<int>();
            return id is > 0 ? id.Value : throw new AzureDevOpsApiException("create the log: the answer holds no log id");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new AzureDevOpsApiException($"create the log: the answer is not a log ({ex.Message})", null, ex);
        }
    }

    /// <summary>POST …/plans/{planId}/logs/{logId}: appends text (the documented media type is application/octet-stream).</summary>
    public Task AppendLogAsync(AzureDevOpsPlan plan, int logId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var bytes = Encoding.UTF8.GetBytes(text);
        return SendAsync(plan, HttpMethod.Post, $"logs/{logId}?api-version={AzureDevOpsApiVersions.Logs}", "append to the log", () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return content;
        }, cancellationToken);
    }

    /// <summary>PATCH …/timelines/{timelineId}/records: shows the log on the check's record (the documented collection wrapper, as the .NET client sends it).</summary>
    public Task AttachLogAsync(AzureDevOpsPlan plan, int logId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timelineId = plan.TimelineId ?? throw new InvalidOperationException("the check sent no TimelineId: there is no timeline record to attach the log to.");
        return SendAsync(plan, HttpMethod.Patch, $"timelines/{timelineId:D}/records?api-version={AzureDevOpsApiVersions.TimelineRecords}", "attach the log",
            () => Json(new JsonObject
            {
                ["count"] = 1,
                ["value"] = new JsonArray(new JsonObject { ["id"] = plan.TaskInstanceId.ToString("D"), ["log"] = new JsonObject { ["id"] = logId } }),
            }), cancellationToken);
    }

    /// <summary>POST …/plans/{planId}/events: TaskCompleted with <c>succeeded</c> or <c>failed</c>; this is the check's decision.</summary>
    public Task SendTaskCompletedAsync(AzureDevOpsPlan plan, bool succeeded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return SendAsync(plan, HttpMethod.Post, $"events?api-version={AzureDevOpsApiVersions.Events}", "send TaskCompleted",
            () => Json(new JsonObject
            {
                ["name"] = "TaskCompleted",
                ["taskId"] = plan.TaskInstanceId.ToString("D"),
                ["jobId"] = plan.JobId.ToString("D"),
                ["result"] = succeeded ? "succeeded" : "failed",
            }), cancellationToken);
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    // One call through the retry pipeline; a new request (and content) per attempt. Returns the answer's body.
    private async Task<byte[]> SendAsync(
        AzureDevOpsPlan plan, HttpMethod method, string relative, string what, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        var uri = new Uri(plan.PlanRoot, relative);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = new HttpRequestMessage(method, uri) { Content = content() };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", plan.AuthToken);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                // The default completion option buffers the answer (bounded by MaxResponseContentBufferSize) inside the attempt's timeout.
                return await _http.SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new AzureDevOpsApiException(string.Create(CultureInfo.InvariantCulture, $"{what}: no answer within {_options.RequestTimeout.TotalSeconds:0.###} s{After(attempts)}"), null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AzureDevOpsApiException($"{what}: cannot reach {uri.GetLeftPart(UriPartial.Authority)} ({ex.Message}){After(attempts)}", null, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AzureDevOpsApiException(
                    $"{what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Hint(response.StatusCode)}{After(attempts)}", (int)response.StatusCode);
            }

            return body;
        }
    }

    private static string After(int attempts) => attempts > 1 ? $" after {attempts} attempts" : "";

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => " (the job token was refused: expired, or the check's run is over)",
        HttpStatusCode.BadRequest => " (an api-version the server does not support is one cause; see docs/gates-azure-devops.md)",
        HttpStatusCode.NotFound => " (no such plan, hub or log: check the HubName and PlanUrl headers)",
        >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => " (redirects are not followed: the token stays with PlanUrl's host)",
        _ => "",
    };

    // The shared pipeline (Http/HttpResilience); Azure DevOps' differences: 408 and 429 are asked again too, and a
    // Retry-After (seconds, or a date measured by this machine's clock) is honoured up to MaxRetryDelay.
    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(AzureDevOpsClientOptions options, TimeProvider time) =>
        HttpResilience.Build(new HttpResilienceOptions
        {
            MaxRetries = options.MaxRetries,
            BaseDelay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            AttemptTimeout = options.RequestTimeout,
            Time = time,
            ShouldRetry = HttpResilience.IsTransientOrThrottled,
            RetryAfter = response => HttpResilience.CappedRetryAfter(response, time.GetUtcNow(), options.MaxRetryDelay),
        });
}
