using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Octokit;
using OrchUpgradePrep.Config;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>
/// <c>POST /github/webhook</c>: the GitHub App's deployment protection rule. In this order: body size (413), signature
/// over the raw bytes (401, nothing else happens), event and action (ping and others: 200/204), payload (400), delivery
/// id (a replay of a delivered decision: 200; a redelivery while its decision runs: 202, joined), then 202 and the
/// decision in the background — check the mapped environment, publish a check run on the deployment's commit, approve
/// or reject through the callback. A delivery whose decision could not be sent is decided again when it is redelivered.
/// A deployment is approved only when the check approves and its check run exists; every other path rejects, and the
/// rejection is always sent, so no deployment waits forever on this service.
/// </summary>
public sealed class GitHubWebhookEndpoint : IGateEndpoint
{
    public const string Path = "/github/webhook";

    private readonly GateSettings _settings;
    private readonly EnvironmentGate _gate;
    private readonly GateBackgroundWork _work;
    private readonly GateLog _log;
    private readonly DeliveryReplayCache _deliveries;
    private readonly GitHubApi _api;
    private readonly GitHubAppTokenSource _tokens;
    private readonly DeploymentReviewClient _reviews;
    private readonly ConcurrentDictionary<long, GitHubClient> _clients = new();

    public GitHubWebhookEndpoint(
        GateSettings settings, EnvironmentGate gate, GateBackgroundWork work, GateLog log,
        DeliveryReplayCache deliveries, GitHubApi api, GitHubAppTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(settings.WebhookSecret);
        _settings = settings;
        _gate = gate;
        _work = work;
        _log = log;
        _deliveries = deliveries;
        _api = api;
        _tokens = tokens;
        _reviews = new DeploymentReviewClient(api);
    }

    public string Route => Path;

    /// <summary>From the gate settings; a webhook secret without an App id and key is a <see cref="ConfigException"/>.</summary>
    public static GitHubWebhookEndpoint Create(GateSettings settings, EnvironmentGate gate, GateBackgroundWork work, GateLog log, TimeProvider time, GitHubApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var missing = new List<string>();
        if (string.IsNullOrEmpty(settings.GitHubAppId))
        {
            missing.Add(GateSettings.GitHubAppIdVariable);
        }

        if (string.IsNullOrEmpty(settings.GitHubAppPrivateKeyPem))
        {
            missing.Add($"{GateSettings.GitHubAppPrivateKeyVariable} or {GateSettings.GitHubAppPrivateKeyFileVariable}");
        }

        if (missing.Count > 0)
        {
            throw new ConfigException($"{GateSettings.WebhookSecretVariable} is set, so the GitHub App endpoint needs {string.Join(" and ", missing)}.");
        }

        log.Masker.Add(settings.WebhookSecret);
        log.Masker.Add(settings.GitHubAppPrivateKeyPem);
        var api = new GitHubApi(settings.GitHubApiUrl, options);
        var jwt = GitHubAppJwt.FromPem(settings.GitHubAppId!, settings.GitHubAppPrivateKeyPem!, time);
        return new GitHubWebhookEndpoint(settings, gate, work, log, new DeliveryReplayCache(time), api, new GitHubAppTokenSource(jwt, api, log.Masker, time));
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = await GateRequestBody.ReadAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            _log.Write("github webhook: refused, the body is over the size limit (413)");
            return;
        }

        if (!WebhookSignature.IsValid(_settings.WebhookSecret!, body, context.Request.Headers[WebhookSignature.Header]))
        {
            // Nothing of an unverified request is trusted, not even its delivery id.
            _log.Write($"github webhook: refused a request from {GateRemote.Of(context)}: missing or wrong X-Hub-Signature-256 (401)");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
        var kind = context.Request.Headers["X-GitHub-Event"].ToString();
        if (kind == "ping")
        {
            _log.Write($"github delivery {delivery}: ping");
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        if (kind != "deployment_protection_rule")
        {
            _log.Write($"github delivery {delivery}: event '{kind}' ignored");
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (delivery.Length == 0)
        {
            _log.Write("github webhook: refused, no X-GitHub-Delivery id (400)");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var request = DeploymentProtectionRuleRequest.Parse(body, out var action, out var problem);
        if (action is not null && action != "requested")
        {
            _log.Write($"github delivery {delivery}: action '{action}' ignored");
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (request is null)
        {
            _log.Write($"github delivery {delivery}: refused, {problem} (400)");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        switch (_deliveries.Begin(delivery))
        {
            case DeliveryStart.AlreadyDecided:
                _log.Write($"github delivery {delivery}: replay of a delivery whose decision was already sent, ignored");
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            case DeliveryStart.JoinedRunning:
                _log.Write($"github delivery {delivery}: redelivered while its decision is still running; not started twice " +
                           "(if that decision cannot be sent, it is made once more)");
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
        }

        _log.Write($"github delivery {delivery}: deployment to '{request.Environment}' of {request.Owner}/{request.Repository}@{request.HeadSha} requested; deciding");
        _work.Start($"github delivery {delivery}", stopping => DecideDeliveryAsync(delivery, request, stopping));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    // Decides, and again while a redelivery joined an attempt that was not delivered. The id is always finished, so a
    // later redelivery is never refused as "running" after a crash here.
    private async Task DecideDeliveryAsync(string delivery, DeploymentProtectionRuleRequest request, CancellationToken stopping)
    {
        var finished = false;
        try
        {
            while (true)
            {
                var delivered = await DecideAsync(delivery, request, stopping).ConfigureAwait(false);
                var again = _deliveries.Finish(delivery, delivered, mayRunAgain: !stopping.IsCancellationRequested);
                if (!again)
                {
                    finished = true;
                    if (!delivered)
                    {
                        _log.Write($"github delivery {delivery}: no decision was delivered; redeliver it (the App's Advanced → Recent Deliveries) to decide again");
                    }

                    return;
                }

                _log.Write($"github delivery {delivery}: the decision was not delivered and the delivery came again meanwhile; deciding once more");
            }
        }
        finally
        {
            if (!finished)
            {
                _deliveries.Finish(delivery, delivered: false, mayRunAgain: false);
            }
        }
    }

    /// <summary>True when the decision reached GitHub (the callback answered 2xx).</summary>
    private async Task<bool> DecideAsync(string delivery, DeploymentProtectionRuleRequest request, CancellationToken stopping)
    {
        var client = _clients.GetOrAdd(request.InstallationId, id => _api.Client(new InstallationCredentials(_tokens, id, TimeSpan.FromMinutes(2))));
        var environment = _settings.Find(request.Environment);
        if (environment is null)
        {
            _log.Write($"github delivery {delivery}: environment '{request.Environment}' is not mapped in {GateSettings.EnvironmentsVariable}; rejecting");
            return await ReviewAsync(delivery, client, request, approve: false,
                $"orchprep rejects this deployment: the GitHub environment '{request.Environment}' is not mapped to an orchprep environment " +
                $"({GateSettings.EnvironmentsVariable} on the gate service), so nothing was checked.").ConfigureAwait(false);
        }

        var result = await _gate.CheckAsync(environment, stopping).ConfigureAwait(false);
        PublishedCheckRun? run = null;
        string? publishFailure = null;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            bounded.CancelAfter(TimeSpan.FromMinutes(5));
            run = await new CheckRunPublisher(client).PublishAsync(
                new CheckRunTarget(request.Owner, request.Repository, request.HeadSha),
                $"orchprep gate ({request.Environment})",
                result.Report,
                _log.Masker.Mask(result.Summary),
                result.Approves,
                bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            publishFailure = $"{ex.GetType().Name}: {ex.Message}";
            _log.Write($"github delivery {delivery}: the check run could not be created: {publishFailure}");
        }

        // No check run, no approval: the approver could not see what was decided.
        var approve = result.Approves && run is not null;
        var verdict = approve ? "approved" : "rejected";
        // Masked before it is measured, so the masker cannot push it over GitHub's limit afterwards.
        var comment = DeploymentComment.Compose(
            _log.Masker.Mask($"orchprep {verdict} the deployment to '{request.Environment}' ({environment}): {CheckRunPublisher.Counts(result.Report)}."),
            approve ? null : result.Report,
            result.Failure is null ? null : _log.Masker.Mask(result.Failure),
            _log.Masker.Mask(run is not null
                ? $"Report: {run.HtmlUrl}"
                : $"The check run could not be created ({publishFailure}), so the deployment is rejected; see the gate service's log."));
        _log.Write($"github delivery {delivery}: {environment} outcome {WireNames.Of(result.Outcome)}; {verdict}{(run is null ? string.Empty : $"; check run {run.HtmlUrl}")}");
        return await ReviewAsync(delivery, client, request, approve, comment).ConfigureAwait(false);
    }

    private async Task<bool> ReviewAsync(string delivery, GitHubClient client, DeploymentProtectionRuleRequest request, bool approve, string comment)
    {
        // Not tied to the service stopping: a rejection must still go out, or the deployment waits until GitHub gives up.
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await _reviews.ReviewAsync(client.Connection, request.CallbackUrl, request.Environment, approve, _log.Masker.Mask(comment), bounded.Token).ConfigureAwait(false);
            _log.Write($"github delivery {delivery}: {(approve ? "approved" : "rejected")} through the deployment callback");
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.Write($"github delivery {delivery}: the deployment callback failed, the deployment still waits for a decision: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }
}
