using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// POST /azure-devops/check/{environment}: the Azure DevOps "Invoke REST API" check in callback mode. Refuses (400, nothing
/// sent) a PlanUrl that is not an Azure DevOps host. Answers 200 at once (the check waits ~3 s), then in the background
/// runs the check for the mapped environment, posts its Markdown summary as the check's log (when TimelineId came) and
/// raises TaskCompleted: <c>succeeded</c> only when the check approves, <c>failed</c> otherwise —
/// an unknown environment, a timeout or a crash included.
/// </summary>
public sealed class AzureDevOpsCheckEndpoint : IGateEndpoint
{
    public const string RouteTemplate = "/azure-devops/check/{environment}";

    /// <summary>The name the summary's log has on the check's record.</summary>
    public const string LogPath = "orchprep.md";

    private readonly GateSettings _settings;
    private readonly CheckSecret _secret;
    private readonly EnvironmentGate _gate;
    private readonly GateBackgroundWork _work;
    private readonly GateLog _log;
    private readonly AzureDevOpsPlanClient _client;
    private readonly AzureDevOpsClientOptions _options;
    private readonly TimeProvider _time;
    private readonly AzureDevOpsHosts _hosts;

    public AzureDevOpsCheckEndpoint(
        GateSettings settings, EnvironmentGate gate, GateBackgroundWork work, GateLog log, AzureDevOpsPlanClient client, AzureDevOpsClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _secret = new CheckSecret(settings.AzureDevOpsSecret ?? throw new ArgumentException($"{GateSettings.AzureDevOpsSecretVariable} is not set.", nameof(settings)));
        _gate = gate;
        _work = work;
        _log = log;
        _client = client;
        _options = options;
        _time = time;
        _hosts = new AzureDevOpsHosts(settings.AzureDevOpsServerOrigins);
    }

    public string Route => RouteTemplate;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!_secret.Matches(request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null))
        {
            _log.Write($"azure-devops: refused a request from {GateRemote.Of(context)}: missing or wrong Basic credentials (401)");
            context.Response.Headers.WWWAuthenticate = CheckSecret.Challenge;
            await AnswerAsync(context, StatusCodes.Status401Unauthorized, new { status = "unauthorized" }).ConfigureAwait(false);
            return;
        }

        // Masked before anything can log it, even when the rest of the headers are wrong.
        if (request.Headers.TryGetValue(AzureDevOpsPlan.AuthTokenHeader, out var token))
        {
            _log.Masker.Add(token.ToString().Trim());
        }

        var environmentName = request.RouteValues.TryGetValue("environment", out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";
        var plan = AzureDevOpsPlan.FromHeaders(request.Headers, out var problem);
        if (plan is null)
        {
            _log.Write($"azure-devops: refused a check for '{environmentName}' from {GateRemote.Of(context)}: {problem} (400)");
            await AnswerAsync(context, StatusCodes.Status400BadRequest, new { status = "rejected", error = problem }).ConfigureAwait(false);
            return;
        }

        // Before anything is sent: the token and the report go only to Azure DevOps.
        if (!_hosts.Allows(plan.PlanUrl))
        {
            var refusal = $"PlanUrl {plan.PlanUrl.GetLeftPart(UriPartial.Authority)} is not an Azure DevOps host ({_hosts.Describe()}); " +
                          $"an Azure DevOps Server must be listed in {GateSettings.AzureDevOpsServerUrlsVariable}";
            _log.Write($"azure-devops: refused a check for '{environmentName}' from {GateRemote.Of(context)}: {refusal} (400)");
            await AnswerAsync(context, StatusCodes.Status400BadRequest, new { status = "rejected", error = refusal }).ConfigureAwait(false);
            return;
        }

        var environment = _settings.Find(environmentName);
        _log.Write($"azure-devops: accepted a check for '{environmentName}' ({(environment is null ? "not mapped" : environment.ToString())}), {plan}");
        _work.Start($"azure-devops check '{environmentName}', {plan}", stopping => DecideAsync(environmentName, environment, plan, stopping));
        await AnswerAsync(context, StatusCodes.Status200OK, new { status = "accepted", environment = environmentName, planId = plan.PlanId }).ConfigureAwait(false);
    }

    private static async Task AnswerAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Check, post the summary, decide. The decision is sent whatever happened to the log.</summary>
    internal async Task DecideAsync(string environmentName, GateEnvironment? environment, AzureDevOpsPlan plan, CancellationToken stopping)
    {
        GateCheckResult result;
        if (environment is null)
        {
            result = GateCheckResult.Failed(environmentName,
                $"the environment '{environmentName}' is not mapped in {GateSettings.EnvironmentsVariable}, so orchprep does not know what to check.");
            _log.Write($"azure-devops: '{environmentName}' is not mapped in {GateSettings.EnvironmentsVariable}; reporting failed, {plan}");
        }
        else
        {
            try
            {
                result = await _gate.CheckAsync(environment, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // EnvironmentGate already turns timeouts and crashes into results; this is the last line.
                result = GateCheckResult.Failed(environment.ToString(), $"the check failed: {ex.GetType().Name}: {ex.Message}");
            }
        }

        // Reporting has its own deadline; a stopping service still reports (briefly) rather than leave the check waiting.
        using var reporting = new CancellationTokenSource(_options.ReportDeadline, _time);
        using var onStop = stopping.Register(() => reporting.CancelAfter(TimeSpan.FromSeconds(5)));
        if (stopping.IsCancellationRequested)
        {
            reporting.CancelAfter(TimeSpan.FromSeconds(5));
        }

        if (plan.TimelineId is null)
        {
            // A log shows on the check only once attached to its timeline record, which needs the timeline id; a log
            // that is never attached is seen by no one, so none is created. The decision does not need it.
            _log.Write($"azure-devops: no {AzureDevOpsPlan.TimelineIdHeader} header for '{environmentName}', {plan}: the summary is not posted to the check's log " +
                       $"(add \"TimelineId\": \"$(system.TimelineId)\" to the check's headers to get it); sending the decision only");
        }
        else
        {
            try
            {
                var logId = await _client.CreateLogAsync(plan, LogPath, reporting.Token).ConfigureAwait(false);
                await _client.AppendLogAsync(plan, logId, _log.Masker.Mask(result.Summary), reporting.Token).ConfigureAwait(false);
                await _client.AttachLogAsync(plan, logId, reporting.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AzureDevOpsApiException or OperationCanceledException)
            {
                _log.Write($"azure-devops: could not post the summary for '{environmentName}', {plan}: {Describe(ex)}; sending the decision anyway");
            }
        }

        var succeeded = result.Approves;
        var decision = succeeded ? "succeeded" : "failed";
        try
        {
            await _client.SendTaskCompletedAsync(plan, succeeded, reporting.Token).ConfigureAwait(false);
            _log.Write($"azure-devops: '{environmentName}' {WireNames.Of(result.Outcome)}{(result.Failure is null ? "" : $" ({result.Failure})")}: " +
                       $"TaskCompleted {decision}, {plan}");
        }
        catch (Exception ex) when (ex is AzureDevOpsApiException or OperationCanceledException)
        {
            _log.Write($"azure-devops: could not send TaskCompleted {decision} for '{environmentName}', {plan}: {Describe(ex)}; " +
                       "the check stays pending until its timeout, and the stage is then skipped");
        }
    }

    private static string Describe(Exception ex) => ex is OperationCanceledException ? "the report deadline passed or the service is stopping" : ex.Message;
}
