using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Http;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Platform.Orchestrator;

/// <summary>
/// Builds an <see cref="ODataOrchestratorApi"/> for an environment's <c>webService:</c> section. Credentials come only
/// from the environment variables the config names; no message ever carries their values.
/// </summary>
public static class OrchestratorApiFactory
{
    public static ODataOrchestratorApi Create(
        WebServiceConfig config,
        Func<string, string?> getEnvironmentVariable,
        ODataOrchestratorApiOptions options,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var root = ServiceRoot(config.Url);
        return Create(config, getEnvironmentVariable, options, time, CreateHandler(config, root, getEnvironmentVariable, options));
    }

    /// <summary>The same, over a given handler (tests).</summary>
    internal static ODataOrchestratorApi Create(
        WebServiceConfig config,
        Func<string, string?> getEnvironmentVariable,
        ODataOrchestratorApiOptions options,
        TimeProvider time,
        HttpMessageHandler handler)
    {
        var http = new HttpClient(handler, disposeHandler: true)
        {
            // Polly bounds each attempt; a client-wide timeout would cut across retries.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // The web host's IIS log then shows which requests are orchprep's own (requirements.legacy-web-service).
        http.DefaultRequestHeaders.UserAgent.Add(OrchprepUserAgent.For(ProductVersion));
        if (config.Auth == WebServiceAuth.Basic)
        {
            var user = Required(config.UserEnv, "webService.userEnv", getEnvironmentVariable);
            var password = Required(config.PasswordEnv, "webService.passwordEnv", getEnvironmentVariable);
            // Preemptive: the service (unconfirmed for Basic) would otherwise answer every first request with 401.
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return new ODataOrchestratorApi(http, ServiceRoot(config.Url), options, time, ownsHttp: true);
    }

    /// <summary>orchprep's version (the informational version without its commit), as the User-Agent carries it.</summary>
    internal static string ProductVersion { get; } =
        typeof(OrchestratorApiFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static SocketsHttpHandler CreateHandler(
        WebServiceConfig config,
        Uri serviceRoot,
        Func<string, string?> getEnvironmentVariable,
        ODataOrchestratorApiOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            // The service does not redirect; following one could carry credentials to another host.
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (config.Auth == WebServiceAuth.Negotiate)
        {
            NetworkCredential credential;
            if (config.UserEnv is null && config.PasswordEnv is null)
            {
                credential = CredentialCache.DefaultNetworkCredentials;
            }
            else
            {
                var user = Required(config.UserEnv, "webService.userEnv", getEnvironmentVariable);
                var password = Required(config.PasswordEnv, "webService.passwordEnv", getEnvironmentVariable);
                var slash = user.IndexOf('\\', StringComparison.Ordinal);
                credential = slash > 0
                    ? new NetworkCredential(user[(slash + 1)..], password, user[..slash])
                    : new NetworkCredential(user, password);
            }

            // Only for the service's host and only by Negotiate/NTLM: a Basic challenge never gets the password.
            var cache = new CredentialCache();
            var origin = new Uri(serviceRoot.GetLeftPart(UriPartial.Authority));
            cache.Add(origin, "Negotiate", credential);
            cache.Add(origin, "NTLM", credential);
            handler.Credentials = cache;
        }

        return handler;
    }

    /// <summary>The configured URL with a trailing slash (relative entity-set names resolve under it) and no user info.</summary>
    internal static Uri ServiceRoot(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new OrchestratorApiException($"webService.url must be an http or https URL: {url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped)}");
        }

        var builder = new UriBuilder(url) { UserName = "", Password = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static string Required(string? variable, string key, Func<string, string?> getEnvironmentVariable)
    {
        if (variable is null)
        {
            throw new OrchestratorApiException($"{key} names no environment variable; it is required for this webService.auth");
        }

        return getEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new OrchestratorApiException($"the environment variable {variable} ({key}) is not set; set it from a pipeline secret");
    }
}
