using System.IO.Abstractions;
using System.Net.Http.Headers;
using System.Text;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Cli.Commands.Gate;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Gates.AzureDevOps;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Tests.Gates.AzureDevOps;

/// <summary>The plan fields one check request carries.</summary>
internal sealed record PlanHeaders(Guid ProjectId, Guid PlanId, Guid JobId, Guid TimelineId, Guid TaskInstanceId, string Token, string HubName = "checks")
{
    public static PlanHeaders New(string token = AzureDevOpsGateHarness.Token) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), token);

    public string PlanPath => $"/org/{ProjectId:D}/_apis/distributedtask/hubs/{HubName}/plans/{PlanId:D}";
}

/// <summary>
/// The real gate service (GateServer on Kestrel 127.0.0.1:0 with the Azure DevOps endpoint, EnvironmentGate over the
/// given check) in front of a fake Azure DevOps API, and an HttpClient that calls the service as the check would.
/// </summary>
internal sealed class AzureDevOpsGateHarness : IAsyncDisposable
{
    public const string Secret = "chk-Secret-5f1d9a";
    public const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.job-token-7c2e";

    private readonly StringWriter _logText;
    private readonly HttpClient _apiHttp;

    private AzureDevOpsGateHarness(FakeAzureDevOpsApi api, GateServer server, GateBackgroundWork work, StringWriter logText, HttpClient apiHttp, HttpClient http)
    {
        Api = api;
        Server = server;
        Work = work;
        _logText = logText;
        _apiHttp = apiHttp;
        Http = http;
    }

    public FakeAzureDevOpsApi Api { get; }
    public GateServer Server { get; }
    public GateBackgroundWork Work { get; }
    public HttpClient Http { get; }

    /// <summary>The check's shared secret (<see cref="Secret"/> unless the test chose its own).</summary>
    public string CheckSecret { get; private init; } = Secret;

    /// <summary>What the service logged; read it after <see cref="DrainAsync"/>.</summary>
    public string ServiceLog => _logText.ToString();

    /// <summary>Retries fast: the tests prove which failures are retried, not how long the backoff is.</summary>
    public static AzureDevOpsClientOptions FastOptions => new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
        ReportDeadline = TimeSpan.FromSeconds(60),
    };

    /// <summary>trial → sandbox:ready, unmet → sandbox:requirements-unmet, over the real `orchprep check`.</summary>
    public static IReadOnlyDictionary<string, GateEnvironment> SandboxEnvironments => GateSettings.ParseEnvironments(
        "trial=sandbox:ready, unmet=sandbox:requirements-unmet");

    public static CliGateCheck RealCheck(string workDirectory, Func<string, string?>? variables = null) => new(
        new CliEnvironment
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            GetEnvironmentVariable = variables ?? (_ => null),
            FileSystem = new FileSystem(),
            CurrentDirectory = workDirectory,
            Time = TimeProvider.System,
            LocalMachineName = "gate-test",
            IsInteractiveTerminal = false,
        },
        null,
        Path.Combine(workDirectory, "gate"));

    public static async Task<AzureDevOpsGateHarness> StartAsync(
        IGateCheck check,
        IReadOnlyDictionary<string, GateEnvironment> environments,
        CancellationToken cancellationToken,
        TimeSpan? checkTimeout = null,
        AzureDevOpsClientOptions? options = null,
        string secret = Secret,
        IReadOnlyList<Uri>? moreServerOrigins = null)
    {
        var api = await FakeAzureDevOpsApi.StartAsync(cancellationToken);
        // The fake is an Azure DevOps Server as ORCHPREP_AZDO_SERVER_URLS would list it; nothing else is.
        var settings = new GateSettings
        {
            Urls = ["http://127.0.0.1:0"],
            Environments = environments,
            AzureDevOpsSecret = secret,
            AzureDevOpsServerOrigins = [api.Origin, .. moreServerOrigins ?? []],
        };
        var masker = new SecretMasker();
        foreach (var value in settings.Secrets)
        {
            masker.Add(value);
        }

        var logText = new StringWriter();
        var log = new GateLog(logText, masker, TimeProvider.System);
        var gate = new EnvironmentGate(check, TimeProvider.System, checkTimeout ?? TimeSpan.FromMinutes(2));
        var work = new GateBackgroundWork(log);
        options ??= FastOptions;
        var apiHttp = AzureDevOpsPlanClient.CreateHttpClient(options);
        var endpoint = new AzureDevOpsCheckEndpoint(settings, gate, work, log, new AzureDevOpsPlanClient(apiHttp, options, TimeProvider.System), options, TimeProvider.System);
        var server = await GateServer.StartAsync(settings, [endpoint], work, "0.0.0-test", cancellationToken);
        var http = new HttpClient { BaseAddress = server.Addresses[0], Timeout = TimeSpan.FromSeconds(30) };
        return new AzureDevOpsGateHarness(api, server, work, logText, apiHttp, http) { CheckSecret = secret };
    }

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>The request the Invoke REST API check sends: POST with the plan headers and the service connection's Basic credentials.</summary>
    public HttpRequestMessage CheckRequest(string environment, PlanHeaders plan, string? authorization = null, Uri? planUrl = null, params string[] without)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"azure-devops/check/{environment}")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization ?? Basic("azdo", CheckSecret));
        var headers = new Dictionary<string, string>
        {
            ["PlanUrl"] = (planUrl ?? Api.CollectionUri).ToString(),
            ["ProjectId"] = plan.ProjectId.ToString("D"),
            ["HubName"] = plan.HubName,
            ["PlanId"] = plan.PlanId.ToString("D"),
            ["JobId"] = plan.JobId.ToString("D"),
            ["TimelineId"] = plan.TimelineId.ToString("D"),
            ["TaskInstanceId"] = plan.TaskInstanceId.ToString("D"),
            ["AuthToken"] = plan.Token,
            ["BuildId"] = "1234",
        };
        foreach (var (name, value) in headers.Where(h => !without.Contains(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Http.SendAsync(request, cancellationToken);

    /// <summary>Until every decision started so far has been reported.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => Work.DrainAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);

    public IReadOnlyList<RecordedRequest> RequestsFor(PlanHeaders plan) =>
        Api.Requests.Where(r => r.Path.StartsWith(plan.PlanPath + "/", StringComparison.Ordinal)).ToList();

    public static AuthenticationHeaderValue? Bearer(RecordedRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Header("Authorization"), out var value) ? value : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Api.DisposeAsync();
        _apiHttp.Dispose();
        Work.Dispose();
    }
}

/// <summary>Remembers what the real check decided, so a test can compare the posted log with it.</summary>
internal sealed class RecordingCheck(IGateCheck inner) : IGateCheck
{
    private readonly List<GateCheckResult> _results = [];

    public IReadOnlyList<GateCheckResult> Results
    {
        get
        {
            lock (_results)
            {
                return [.. _results];
            }
        }
    }

    public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
    {
        var result = await inner.RunAsync(environment, cancellationToken);
        lock (_results)
        {
            _results.Add(result);
        }

        return result;
    }
}

/// <summary>A fake check: met after a short delay (or never, or by throwing), counting how many run at once per environment.</summary>
internal sealed class CountingCheck(TimeSpan delay, Func<GateEnvironment, GateCheckResult>? result = null) : IGateCheck
{
    private readonly Dictionary<string, int> _running = [];
    private readonly Dictionary<string, int> _mostAtOnce = [];
    private readonly Dictionary<string, int> _runs = [];
    private readonly Lock _lock = new();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Hold every run until released (for "answered before the check finished").</summary>
    public TaskCompletionSource? Hold { get; init; }

    public IReadOnlyDictionary<string, int> MostAtOnce
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_mostAtOnce);
            }
        }
    }

    public IReadOnlyDictionary<string, int> Runs
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_runs);
            }
        }
    }

    public static GateCheckResult Met(GateEnvironment environment) =>
        new(RunOutcome.Met, Reporting.SampleReport.Create() with { Outcome = RunOutcome.Met }, $"# ✅ MET: orchprep check, environment {environment}\n\nAll prerequisites hold.\n");

    public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _running[environment.Key] = _running.GetValueOrDefault(environment.Key) + 1;
            _runs[environment.Key] = _runs.GetValueOrDefault(environment.Key) + 1;
            _mostAtOnce[environment.Key] = Math.Max(_mostAtOnce.GetValueOrDefault(environment.Key), _running[environment.Key]);
        }

        Started.TrySetResult();
        try
        {
            if (Hold is not null)
            {
                await Hold.Task.WaitAsync(cancellationToken);
            }

            await Task.Delay(delay, cancellationToken);
            return (result ?? Met)(environment);
        }
        finally
        {
            lock (_lock)
            {
                _running[environment.Key]--;
            }
        }
    }
}
