using System.IO.Abstractions;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrchUpgradePrep.Cli;
using OrchUpgradePrep.Cli.Commands.Gate;
using OrchUpgradePrep.Gates;
using OrchUpgradePrep.Tests.Gates.AzureDevOps;
using OrchUpgradePrep.Tests.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates;

/// <summary>
/// The gate's part of the secret leak audit: the gate service's secrets (webhook secret, App private key, Azure DevOps
/// check secret), the tokens that arrive or are issued (AuthToken header, installation tokens, the App JWT) and the CLI
/// secrets the real check runs with are set to distinctive values; the real `check` decides met, unmet, error and timed
/// out (cancelled) environments. No form of any of them (raw, base64 padded/unpadded/URL-safe, URL-encoded, JSON-escaped)
/// is in any body the fake GitHub or Azure DevOps API received (check runs and their annotations, reviews, callbacks,
/// log appends, timeline records) or in the service log.
/// </summary>
public sealed class GateSecretLeakAuditTests : IDisposable
{
    private const string Tricky = "Leak+Me/7\"q=&é";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchprep-gate-leak-");

    private static readonly Dictionary<string, string> CliSecrets = new()
    {
        ["ORCHPREP_SQL_PASSWORD"] = Tricky + "sql",
        ["ORCHPREP_WS_USER"] = "PlainLeakQzWsUser",
        ["ORCHPREP_WS_PASSWORD"] = Tricky + "ws",
        ["ORCHPREP_SANDBOX_PASSWORD"] = Tricky + "sbx",
        ["ORCHPREP_SANDBOX_USER"] = "PlainLeakQzSbxUser",
        ["ORCHPREP_SMK_PASSWORD"] = Tricky + "smk",
        ["ORCHPREP_GITHUB_TOKEN"] = "ghp_PlainLeakQzToken",
        ["ORCHPREP_AZDO_TOKEN"] = Tricky + "azdo",
        ["GITHUB_TOKEN"] = "ghs_PlainLeakQzActions",
        ["SYSTEM_ACCESSTOKEN"] = Tricky + "system",
    };

    private const string Environments =
        "met=sandbox:ready, unmet=sandbox:requirements-unmet, error=sandbox:host-unreachable, cancelled=sandbox:slow";

    public void Dispose() => _work.Delete(recursive: true);

    private CliGateCheck RealCheck() => new(new CliEnvironment
    {
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        GetEnvironmentVariable = name => CliSecrets.GetValueOrDefault(name),
        FileSystem = new FileSystem(),
        CurrentDirectory = _work.FullName,
        Time = TimeProvider.System,
        LocalMachineName = "gate-leak-test",
    }, configPath: null, Path.Combine(_work.FullName, "reports"));

    [Fact]
    public async Task GitHub_check_runs_reviews_and_the_log_hold_no_secret_in_any_outcome()
    {
        var webhookSecret = Tricky + "webhook";
        // The slow scenario outlasts the check timeout: that decision is the cancelled one.
        await using var gate = await GitHubGateHarness.StartAsync(RealCheck(), Environments, checkTimeout: TimeSpan.FromSeconds(3), webhookSecret: webhookSecret);

        var runId = 5000;
        foreach (var environment in new[] { "met", "unmet", "error", "cancelled" })
        {
            using var response = await gate.SendAsync(gate.Payload(environment, runId++));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        // A forged delivery makes the service log a refusal too.
        using (await gate.SendAsync(gate.Payload("met", runId), signature: "sha256=" + new string('0', 64)))
        {
        }

        await gate.DrainAsync();

        var reviews = gate.Api.Reviews;
        Assert.Equal(4, reviews.Count);
        Assert.Single(reviews, r => r.Json.GetProperty("state").GetString() == "approved");
        Assert.True(gate.Api.CheckRunCreates.Count >= 3, $"{gate.Api.CheckRunCreates.Count} check runs created");
        var jwt = gate.Api.TokenRequests[0].Authorization!["Bearer ".Length..];
        var secrets = new Dictionary<string, string>(CliSecrets)
        {
            ["ORCHPREP_WEBHOOK_SECRET"] = webhookSecret,
            ["ORCHPREP_GITHUB_APP_PRIVATE_KEY"] = gate.Key.ExportRSAPrivateKeyPem(),
            ["App JWT"] = jwt,
        };
        foreach (var (token, i) in gate.Api.IssuedTokens.Select((t, i) => (t, i)))
        {
            secrets[$"installation token {i}"] = token;
        }

        var forms = Forms(secrets);
        foreach (var request in gate.Api.Requests)
        {
            AssertClean($"{request} body", request.Body, forms);
        }

        AssertClean("service log", gate.Log, forms);
        Assert.Contains("github delivery", gate.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureDevOps_callbacks_log_appends_and_the_log_hold_no_secret_in_any_outcome()
    {
        var ct = TestContext.Current.CancellationToken;
        var checkSecret = Tricky + "check";
        await using var gate = await AzureDevOpsGateHarness.StartAsync(RealCheck(), GateSettings.ParseEnvironments(Environments), ct,
            checkTimeout: TimeSpan.FromSeconds(3), secret: checkSecret);

        var plans = new List<PlanHeaders>();
        foreach (var environment in new[] { "met", "unmet", "error", "cancelled" })
        {
            // Headers are ASCII: the tricky characters but é.
            var plan = PlanHeaders.New(token: $"eyJLeak+Me/7\"q=&job-token-{environment}");
            plans.Add(plan);
            using var request = gate.CheckRequest(environment, plan);
            using var response = await gate.SendAsync(request, ct);
            Assert.True(response.IsSuccessStatusCode, $"{environment}: {response.StatusCode}");
        }

        // Wrong credentials that carry the secret and more: a refusal the service logs.
        using (var wrong = gate.CheckRequest("met", PlanHeaders.New(), AzureDevOpsGateHarness.Basic("azdo", checkSecret + "x")))
        using (var refused = await gate.SendAsync(wrong, ct))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await gate.DrainAsync(ct);

        var secrets = new Dictionary<string, string>(CliSecrets) { ["ORCHPREP_AZDO_CHECK_SECRET"] = checkSecret };
        foreach (var plan in plans)
        {
            secrets[$"AuthToken {plan.PlanId}"] = plan.Token;
            var requests = gate.RequestsFor(plan);
            Assert.Contains(requests, r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal));
        }

        var forms = Forms(secrets);
        foreach (var request in gate.Api.Requests)
        {
            AssertClean($"{request.Method} {request.Path} body", request.Body, forms);
        }

        AssertClean("service log", gate.ServiceLog, forms);
    }

    private static void AssertClean(string where, string text, IReadOnlyList<(string Name, string Form, string Value)> forms)
    {
        foreach (var (name, form, value) in forms)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                Assert.Fail($"{where}: {name} leaked ({form} form):\n{text}");
            }
        }
    }

    private static List<(string Name, string Form, string Value)> Forms(IReadOnlyDictionary<string, string> secrets)
    {
        var forms = new List<(string, string, string)>();
        void Add(string name, string raw)
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));
            forms.Add((name, "raw", raw));
            forms.Add((name, "base64", base64));
            forms.Add((name, "base64 unpadded", base64.TrimEnd('=')));
            forms.Add((name, "base64url", base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')));
            forms.Add((name, "URL-encoded", Uri.EscapeDataString(raw)));
            forms.Add((name, "JSON-escaped", JsonSerializer.Serialize(raw)[1..^1]));
            forms.Add((name, "JSON-escaped (relaxed)", JsonSerializer.Serialize(raw, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1]));
        }

        foreach (var (name, value) in secrets)
        {
            Add(name, value);
            foreach (var line in value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                Add(name + " (a line)", line);
            }
        }

        return [.. forms.DistinctBy(f => f.Item3)];
    }
}
