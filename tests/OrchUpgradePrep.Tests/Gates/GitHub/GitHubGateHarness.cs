using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Secrets;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

/// <summary>
/// The real gate service (GateServer on Kestrel, 127.0.0.1:0, the endpoint GateEndpoints creates) with a real
/// EnvironmentGate over the given check, talking to <see cref="FakeGitHubApi"/>. Sends signed webhooks like GitHub.
/// </summary>
internal sealed class GitHubGateHarness : IAsyncDisposable
{
    public const string Secret = "whsec-test-7f3a9c1e5b";
    public const string AppId = "424242";
    public const long InstallationId = 987654;

    private readonly StringWriter _logText;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private GateServer? _server;

    private GitHubGateHarness(FakeGitHubApi api, RSA key, GateBackgroundWork work, StringWriter logText)
    {
        _logText = logText;
        Api = api;
        Key = key;
        Work = work;
    }

    public FakeGitHubApi Api { get; }
    public RSA Key { get; }
    public GateBackgroundWork Work { get; }
    public Uri Webhook { get; private set; } = null!;

    /// <summary>The secret webhooks are signed with (<see cref="Secret"/> unless the test chose its own).</summary>
    public string WebhookSecret { get; private set; } = Secret;
    public string Log => _logText.ToString();

    public static async Task<GitHubGateHarness> StartAsync(
        IGateCheck check, string environments, TimeProvider? time = null, TimeSpan? checkTimeout = null, string webhookSecret = Secret)
    {
        var ct = TestContext.Current.CancellationToken;
        time ??= TimeProvider.System;
        var api = await FakeGitHubApi.StartAsync(time, ct);
        var key = RSA.Create(2048);
        var settings = new GateSettings
        {
            Urls = ["http://127.0.0.1:0"],
            Environments = GateSettings.ParseEnvironments(environments),
            CheckTimeout = checkTimeout ?? TimeSpan.FromMinutes(2),
            WebhookSecret = webhookSecret,
            GitHubAppId = AppId,
            GitHubAppPrivateKeyPem = key.ExportRSAPrivateKeyPem(),
            GitHubApiUrl = api.BaseUrl,
        };
        var masker = new SecretMasker();
        foreach (var secret in settings.Secrets)
        {
            masker.Add(secret);
        }

        var logText = new StringWriter();
        var log = new GateLog(logText, masker, time);
        var work = new GateBackgroundWork(log);
        var harness = new GitHubGateHarness(api, key, work, logText) { WebhookSecret = webhookSecret };
        var gate = new EnvironmentGate(check, TimeProvider.System, settings.CheckTimeout);
        var endpoints = GateEndpoints.Create(settings, gate, work, log, time);
        harness._server = await GateServer.StartAsync(settings, endpoints, work, "test", ct);
        harness.Webhook = new Uri(harness._server.Addresses[0], GitHubWebhookEndpoint.Path);
        return harness;
    }

    public static byte[] Payload(string environment, Uri callback, string sha = "abc123def456", string action = "requested", long installation = InstallationId) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["action"] = action,
            ["environment"] = environment,
            ["event"] = "push",
            ["deployment_callback_url"] = callback.ToString(),
            ["deployment"] = new Dictionary<string, object> { ["id"] = 1, ["sha"] = sha, ["ref"] = "refs/heads/main" },
            ["repository"] = new Dictionary<string, object> { ["name"] = "orchestrator-upgrade", ["full_name"] = "contoso/orchestrator-upgrade", ["owner"] = new Dictionary<string, object> { ["login"] = "contoso" } },
            ["installation"] = new Dictionary<string, object> { ["id"] = installation },
            ["sender"] = new Dictionary<string, object> { ["login"] = "octocat" },
        });

    public byte[] Payload(string environment, long runId = 1001) =>
        Payload(environment, Api.CallbackUrl("contoso", "orchestrator-upgrade", runId));

    public async Task<HttpResponseMessage> SendAsync(byte[] body, string? delivery = null, string kind = "deployment_protection_rule", string? signature = "sign")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", kind);
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, signature == "sign" ? WebhookSignature.Sign(WebhookSecret, body) : signature);
        }

        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task DrainAsync() => Work.DrainAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        // The service's log, for whoever reads a failed test.
        TestContext.Current.TestOutputHelper?.WriteLine(Log);
        TestContext.Current.TestOutputHelper?.WriteLine("fake GitHub API received:\n" + string.Join("\n", Api.Requests.Select(r => $"  {r.Method} {r.Path} ({r.Body.Length} bytes)")));
        Work.Dispose();
        await Api.DisposeAsync();
        _http.Dispose();
        Key.Dispose();
        await _logText.DisposeAsync();
    }
}

/// <summary>A check with a fixed answer, counting runs and how many ran at once per environment.</summary>
internal sealed class CountingCheck : IGateCheck
{
    private readonly Func<GateEnvironment, CancellationToken, Task<GateCheckResult>> _run;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _running = [];

    public CountingCheck(Func<GateEnvironment, CancellationToken, Task<GateCheckResult>> run) => _run = run;

    public int Runs { get; private set; }
    public int MostAtOnceForOneEnvironment { get; private set; }
    public Dictionary<string, int> RunsPerEnvironment { get; } = [];

    public async Task<GateCheckResult> RunAsync(GateEnvironment environment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Runs++;
            RunsPerEnvironment[environment.Key] = RunsPerEnvironment.GetValueOrDefault(environment.Key) + 1;
            _running[environment.Key] = _running.GetValueOrDefault(environment.Key) + 1;
            MostAtOnceForOneEnvironment = Math.Max(MostAtOnceForOneEnvironment, _running[environment.Key]);
        }

        try
        {
            return await _run(environment, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _running[environment.Key]--;
            }
        }
    }

    public static GateCheckResult Result(RunOutcome outcome, int unmet = 0, int met = 1)
    {
        var checks = Enumerable.Range(0, met).Select(i => Check($"requirements.os-{i}", CheckStatus.Met))
            .Concat(Enumerable.Range(0, unmet).Select(i => Check($"restart.signal-{i:000}", CheckStatus.Unmet)))
            .ToList();
        var report = Reporting.SampleReport.Create() with { Outcome = outcome, Checks = checks };
        return new GateCheckResult(outcome, report, $"# orchprep check: {outcome}\n");
    }

    public static CheckResult Check(string id, CheckStatus status, string host = "orch-ms01") => new()
    {
        Id = id,
        Prerequisite = Prerequisite.Requirements,
        Host = host,
        Status = status,
        Title = id,
        Detail = $"{id} is {status}",
        Remediation = status == CheckStatus.Unmet ? "fix it" : null,
        HelpUri = $"https://example.test/docs/checks/{id}.md",
    };
}
