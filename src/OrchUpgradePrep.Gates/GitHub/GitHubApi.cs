using Octokit;
using Octokit.Internal;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// Octokit clients for one GitHub API (github.com, or GitHub Enterprise Server), every request through
/// <see cref="GitHubResilienceHandler"/>. Octokit maps any host other than github.com to <c>&lt;host&gt;/api/v3/</c>
/// (and <c>*.ghe.com</c> likewise) — but only in GitHubClient's constructors that take a URL, not in Connection's; so
/// <see cref="BaseAddress"/> is taken from such a GitHubClient and every Connection here is built on it.
/// </summary>
public sealed class GitHubApi
{
    private static readonly ProductHeaderValue Product = new("orchprep", typeof(GitHubApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    private readonly GitHubApiOptions _options;

    public GitHubApi(Uri baseUrl, GitHubApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _options = options ?? new GitHubApiOptions();
        BaseAddress = new GitHubClient(Product, baseUrl).Connection.BaseAddress;
    }

    public Uri BaseAddress { get; }

    public GitHubClient Client(ICredentialStore credentials)
    {
        var http = new HttpClientAdapter(() => new GitHubResilienceHandler(_options, new SocketsHttpHandler { ConnectTimeout = _options.AttemptTimeout }));
        var connection = new Connection(Product, BaseAddress, credentials, http, new SimpleJsonSerializer());
        // Octokit's own cap over all attempts: bounded even if every retry waits its longest.
        connection.SetRequestTimeout((_options.AttemptTimeout + _options.MaxRetryAfter) * (_options.MaxRetries + 1));
        return new GitHubClient(connection);
    }

    public GitHubClient Client(Credentials credentials) => Client(new InMemoryCredentialStore(credentials));

    /// <summary>True when <paramref name="uri"/> is on this API (a token is never sent anywhere else).</summary>
    public bool Owns(Uri uri) =>
        uri.IsAbsoluteUri && BaseAddress.IsBaseOf(uri) && string.Equals(uri.Scheme, BaseAddress.Scheme, StringComparison.OrdinalIgnoreCase);
}
