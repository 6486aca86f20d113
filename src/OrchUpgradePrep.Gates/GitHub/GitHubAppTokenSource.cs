using System.Collections.Concurrent;
using Octokit;
using OrchUpgradePrep.Secrets;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// Installation access tokens of the GitHub App: a JWT buys one (<c>POST /app/installations/{id}/access_tokens</c>),
/// it is kept per installation until 5 minutes before its <c>expires_at</c>, and many deliveries at once buy one
/// token, not many. Every JWT and token is added to the masker before it is used.
/// </summary>
public sealed class GitHubAppTokenSource : IDisposable
{
    /// <summary>A token this close to its expiry is replaced: a decision must not start with a token that dies mid-way.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly GitHubClient _appClient;
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, AccessToken> _tokens = new();
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public GitHubAppTokenSource(GitHubAppJwt jwt, GitHubApi api, SecretMasker masker, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(api);
        _masker = masker;
        _time = time;
        _appClient = api.Client(new JwtCredentials(jwt, masker));
    }

    public async Task<string> GetAsync(long installationId, CancellationToken cancellationToken)
    {
        if (Fresh(installationId) is { } token)
        {
            return token;
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(installationId) is { } fetched)
            {
                return fetched;
            }

            // Octokit's call takes no token: the request is bounded by GitHubApiOptions, the wait by the caller.
            var created = await _appClient.GitHubApps.CreateInstallationToken(installationId).WaitAsync(cancellationToken).ConfigureAwait(false);
            _masker.Add(created.Token);
            _tokens[installationId] = created;
            return created.Token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private string? Fresh(long installationId) =>
        _tokens.TryGetValue(installationId, out var token) && _time.GetUtcNow() < token.ExpiresAt - RefreshBefore ? token.Token : null;

    public void Dispose() => _fetching.Dispose();

    /// <summary>A new JWT for each call to the App endpoints (each lives 9 minutes).</summary>
    private sealed class JwtCredentials(GitHubAppJwt jwt, SecretMasker masker) : ICredentialStore
    {
        public Task<Credentials> GetCredentials()
        {
            var token = jwt.Create();
            masker.Add(token);
            return Task.FromResult(new Credentials(token, AuthenticationType.Bearer));
        }
    }
}

/// <summary>The installation's current token, for Octokit: asked for on every request, so an expired one is replaced.</summary>
public sealed class InstallationCredentials(GitHubAppTokenSource tokens, long installationId, TimeSpan timeout) : ICredentialStore
{
    public async Task<Credentials> GetCredentials()
    {
        using var bounded = new CancellationTokenSource(timeout);
        return new Credentials(await tokens.GetAsync(installationId, bounded.Token).ConfigureAwait(false), AuthenticationType.Bearer);
    }
}
