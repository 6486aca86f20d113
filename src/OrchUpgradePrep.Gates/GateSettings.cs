using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Gates;

/// <summary>
/// The gate service's settings, from environment variables only (a container or service gets them from its secret store).
/// Secrets are named here so the service can mask them in every log line.
/// </summary>
public sealed record GateSettings
{
    public const string UrlsVariable = "ORCHPREP_GATE_URLS";
    public const string EnvironmentsVariable = "ORCHPREP_GATE_ENVIRONMENTS";
    public const string CheckTimeoutVariable = "ORCHPREP_GATE_CHECK_TIMEOUT";
    public const string WebhookSecretVariable = "ORCHPREP_WEBHOOK_SECRET";
    public const string GitHubAppIdVariable = "ORCHPREP_GITHUB_APP_ID";
    public const string GitHubAppPrivateKeyVariable = "ORCHPREP_GITHUB_APP_PRIVATE_KEY";
    public const string GitHubAppPrivateKeyFileVariable = "ORCHPREP_GITHUB_APP_PRIVATE_KEY_FILE";
    public const string GitHubApiUrlVariable = "ORCHPREP_GITHUB_API_URL";
    public const string AzureDevOpsSecretVariable = "ORCHPREP_AZDO_CHECK_SECRET";
    public const string AzureDevOpsServerUrlsVariable = "ORCHPREP_AZDO_SERVER_URLS";

    /// <summary>Protection-rule payloads are a few KiB; anything near this is not GitHub's and is refused before it is read.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Pipeline environment name → what to check. A name not here is refused, never guessed.</summary>
    public IReadOnlyDictionary<string, GateEnvironment> Environments { get; init; } = new Dictionary<string, GateEnvironment>();

    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromMinutes(15);

    public string? WebhookSecret { get; init; }
    public string? GitHubAppId { get; init; }
    public string? GitHubAppPrivateKeyPem { get; init; }
    public Uri GitHubApiUrl { get; init; } = new("https://api.github.com/");
    public string? AzureDevOpsSecret { get; init; }

    /// <summary>
    /// Azure DevOps Server origins (scheme, host, port) a check's <c>PlanUrl</c> may name, besides Azure DevOps Services
    /// (<c>https://dev.azure.com</c>, <c>https://vsrm.dev.azure.com</c>, <c>https://*.visualstudio.com</c>): the job token and the report go nowhere else.
    /// </summary>
    public IReadOnlyList<Uri> AzureDevOpsServerOrigins { get; init; } = [];

    /// <summary>Every secret value, for the log masker.</summary>
    public IEnumerable<string> Secrets =>
        new[] { WebhookSecret, GitHubAppPrivateKeyPem, AzureDevOpsSecret }.OfType<string>().Where(s => s.Length > 0);

    public GateEnvironment? Find(string pipelineEnvironment) =>
        Environments.TryGetValue(pipelineEnvironment, out var environment) ? environment : null;

    /// <summary>Reads the settings; a bad value is a <see cref="ConfigException"/> naming the variable (never its secret value).</summary>
    public static GateSettings FromEnvironment(Func<string, string?> get, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(readFile);
        string? Value(string name) => get(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var settings = new GateSettings
        {
            Environments = ParseEnvironments(Value(EnvironmentsVariable)),
            WebhookSecret = Value(WebhookSecretVariable),
            GitHubAppId = Value(GitHubAppIdVariable),
            AzureDevOpsSecret = Value(AzureDevOpsSecretVariable),
            AzureDevOpsServerOrigins = ParseOrigins(Value(AzureDevOpsServerUrlsVariable)),
        };
        if (Value(UrlsVariable) is { } urls)
        {
            settings = settings with { Urls = ParseUrls(urls) };
        }

        if (Value(CheckTimeoutVariable) is { } timeout)
        {
            settings = settings with
            {
                CheckTimeout = Duration.TryParse(timeout, out var value) && value > TimeSpan.Zero
                    ? value
                    : throw new ConfigException($"{CheckTimeoutVariable}: '{timeout}' is not a duration above 0s, like 15m."),
            };
        }

        if (Value(GitHubApiUrlVariable) is { } api)
        {
            settings = settings with
            {
                GitHubApiUrl = Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri
                    : throw new ConfigException($"{GitHubApiUrlVariable}: '{api}' is not an http(s) URL."),
            };
        }

        var keyFile = Value(GitHubAppPrivateKeyFileVariable);
        var key = Value(GitHubAppPrivateKeyVariable);
        if (key is null && keyFile is not null)
        {
            try
            {
                key = readFile(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"{GitHubAppPrivateKeyFileVariable}: cannot read '{keyFile}': {ex.Message}", ex);
            }
        }

        return settings with { GitHubAppPrivateKeyPem = key };
    }

    /// <summary>"http://0.0.0.0:8080;http://[::]:8080": the listen URLs of ORCHPREP_GATE_URLS and --urls.</summary>
    public static IReadOnlyList<string> ParseUrls(string text) =>
        text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// "https://tfs.contoso.com, http://tfs01:8080": the origins of ORCHPREP_AZDO_SERVER_URLS. Only an origin: a path
    /// (the collection), a query, user info or another scheme than http(s) is a <see cref="ConfigException"/> naming the entry.
    /// </summary>
    public static IReadOnlyList<Uri> ParseOrigins(string? text)
    {
        var origins = new List<Uri>();
        if (text is null)
        {
            return origins;
        }

        foreach (var entry in text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                throw new ConfigException($"{AzureDevOpsServerUrlsVariable}: '{entry}' is not an http(s) origin such as https://tfs.contoso.com or http://tfs01:8080.");
            }

            // Named without its user info: a password typed into the URL is not echoed.
            var origin = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
            if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                var shown = uri.UserInfo.Length > 0 ? origin.GetLeftPart(UriPartial.Authority) + " (with user info)" : entry;
                throw new ConfigException(
                    $"{AzureDevOpsServerUrlsVariable}: '{shown}' is not an origin: give scheme://host[:port] only ({origin.GetLeftPart(UriPartial.Authority)}), " +
                    "without the collection path, query or user name.");
            }

            origins.Add(origin);
        }

        return origins;
    }

    /// <summary>"orchestrator-prod=prod, orchestrator-trial=sandbox:ready": pipeline name = config environment or sandbox scenario.</summary>
    public static IReadOnlyDictionary<string, GateEnvironment> ParseEnvironments(string? text)
    {
        var map = new Dictionary<string, GateEnvironment>(StringComparer.OrdinalIgnoreCase);
        if (text is null)
        {
            return map;
        }

        foreach (var entry in text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ConfigException($"{EnvironmentsVariable}: '{entry}' is not pipeline-environment=config-environment.");
            }

            var target = parts[1].StartsWith("sandbox:", StringComparison.OrdinalIgnoreCase)
                ? new GateEnvironment(parts[0], null, parts[1]["sandbox:".Length..])
                : new GateEnvironment(parts[0], parts[1], null);
            if (!map.TryAdd(parts[0], target))
            {
                throw new ConfigException($"{EnvironmentsVariable}: '{parts[0]}' is mapped twice.");
            }
        }

        return map;
    }
}
