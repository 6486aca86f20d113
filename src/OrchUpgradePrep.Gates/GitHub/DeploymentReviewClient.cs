using System.Net;
using Octokit;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// Approves or rejects a deployment through the protection rule's callback
/// (<c>POST …/actions/runs/{run_id}/deployment_protection_rule</c> → 204). Octokit has no client for it, so this goes
/// through Octokit's <see cref="IConnection.Post(Uri, object, string, CancellationToken)"/>: same token, same base address,
/// same retries and timeouts as the check-run calls. The URL must be on the configured API: the installation token is
/// never sent to a host a payload names.
/// </summary>
public sealed class DeploymentReviewClient
{
    /// <summary>
    /// The comment's limit: GitHub documents 1,024 characters for a status report on this endpoint and none for the
    /// review comment, so the documented one is kept for both.
    /// </summary>
    public const int MaxCommentChars = 1024;

    private readonly GitHubApi _api;

    public DeploymentReviewClient(GitHubApi api) => _api = api;

    public async Task ReviewAsync(IConnection connection, Uri callbackUrl, string environmentName, bool approve, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(callbackUrl);
        if (!_api.Owns(callbackUrl))
        {
            throw new InvalidOperationException($"the deployment callback URL {callbackUrl} is not on the configured GitHub API {_api.BaseAddress}; no token is sent there.");
        }

        var review = new DeploymentReview
        {
            EnvironmentName = environmentName,
            State = approve ? "approved" : "rejected",
            Comment = DeploymentComment.Cut(comment, MaxCommentChars),
        };
        var status = await connection.Post(callbackUrl, review, "application/vnd.github+json", cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.NoContent && (int)status is < 200 or > 299)
        {
            throw new InvalidOperationException($"the deployment callback answered {(int)status}.");
        }
    }

    /// <summary>Octokit's serializer writes these snake_case: environment_name, state, comment.</summary>
    internal sealed class DeploymentReview
    {
        public required string EnvironmentName { get; init; }
        public required string State { get; init; }
        public required string Comment { get; init; }
    }
}
