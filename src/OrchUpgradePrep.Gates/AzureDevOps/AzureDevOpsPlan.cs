using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace OrchUpgradePrep.Gates.AzureDevOps;

/// <summary>
/// The plan fields an "Invoke REST API" check sends as headers in callback mode: where and as whom to report the decision.
/// Not a record: a record's generated ToString would print <see cref="AuthToken"/>.
/// </summary>
public sealed partial class AzureDevOpsPlan
{
    public const string PlanUrlHeader = "PlanUrl";
    public const string ProjectIdHeader = "ProjectId";
    public const string HubNameHeader = "HubName";
    public const string PlanIdHeader = "PlanId";
    public const string JobIdHeader = "JobId";
    public const string TimelineIdHeader = "TimelineId";
    public const string TaskInstanceIdHeader = "TaskInstanceId";
    public const string AuthTokenHeader = "AuthToken";

    /// <summary>
    /// The headers a decision needs, in the order a 400 names them: the minimum Microsoft's "Invoke Azure Function / REST
    /// API checks" page tells a check to send. <see cref="TimelineIdHeader"/> is not among them: without it the decision
    /// still goes out, only the log cannot be attached to the check's timeline record.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredHeaders =
        [PlanUrlHeader, ProjectIdHeader, HubNameHeader, PlanIdHeader, JobIdHeader, TaskInstanceIdHeader, AuthTokenHeader];

    private AzureDevOpsPlan(Uri planUrl, Guid projectId, string hubName, Guid planId, Guid jobId, Guid? timelineId, Guid taskInstanceId, string authToken)
    {
        PlanUrl = planUrl;
        ProjectId = projectId;
        HubName = hubName;
        PlanId = planId;
        JobId = jobId;
        TimelineId = timelineId;
        TaskInstanceId = taskInstanceId;
        AuthToken = authToken;
    }

    /// <summary>The collection URI, always ending in <c>/</c>.</summary>
    public Uri PlanUrl { get; }
    public Guid ProjectId { get; }

    /// <summary><c>checks</c> for environment checks, <c>build</c> for YAML agentless jobs, <c>rm</c> for classic releases.</summary>
    public string HubName { get; }
    public Guid PlanId { get; }
    public Guid JobId { get; }
    /// <summary>Null when the check did not send it (it is not in Microsoft's minimal header list).</summary>
    public Guid? TimelineId { get; }
    public Guid TaskInstanceId { get; }

    /// <summary>The job's access token (<c>system.AccessToken</c>): a secret, registered with the log masker on arrival.</summary>
    public string AuthToken { get; }

    /// <summary><c>{PlanUrl}{ProjectId}/_apis/distributedtask/hubs/{HubName}/plans/{PlanId}/</c>.</summary>
    public Uri PlanRoot => new(PlanUrl, $"{ProjectId:D}/_apis/distributedtask/hubs/{Uri.EscapeDataString(HubName)}/plans/{PlanId:D}/");

    /// <summary>For log lines: identifies the run, carries no token.</summary>
    public override string ToString() => $"plan {PlanId:D} job {JobId:D} (hub {HubName})";

    /// <summary>The plan, or the reason the headers do not make one (names every missing or malformed header).</summary>
    public static AzureDevOpsPlan? FromHeaders(IHeaderDictionary headers, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? Value(string name) => headers.TryGetValue(name, out var v) && v.ToString().Trim() is { Length: > 0 } s ? s : null;

        var missing = RequiredHeaders.Where(name => Value(name) is null).ToList();
        if (missing.Count > 0)
        {
            problem = $"missing header{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing)} " +
                      "(the Invoke REST API check sends them with its default headers; keep them in the check's Headers box)";
            return null;
        }

        var bad = new List<string>();
        var planUrl = ParsePlanUrl(Value(PlanUrlHeader)!);
        if (planUrl is null)
        {
            bad.Add($"{PlanUrlHeader} is not an absolute http(s) URL");
        }

        Guid Id(string name)
        {
            if (Guid.TryParse(Value(name), out var id))
            {
                return id;
            }

            bad.Add($"{name} is not a GUID");
            return Guid.Empty;
        }

        var projectId = Id(ProjectIdHeader);
        var planId = Id(PlanIdHeader);
        var jobId = Id(JobIdHeader);
        // Optional, but a value that is there must be a GUID: a typo is named, not silently dropped.
        Guid? timelineId = Value(TimelineIdHeader) is null ? null : Id(TimelineIdHeader);
        var taskInstanceId = Id(TaskInstanceIdHeader);
        var hub = Value(HubNameHeader)!;
        if (!HubNamePattern().IsMatch(hub))
        {
            bad.Add($"{HubNameHeader} is not a hub name such as checks, build or rm");
        }

        if (bad.Count > 0)
        {
            problem = string.Join("; ", bad);
            return null;
        }

        problem = null;
        return new AzureDevOpsPlan(planUrl!, projectId, hub, planId, jobId, timelineId, taskInstanceId, Value(AuthTokenHeader)!);
    }

    // The collection URI with a trailing slash (relative paths resolve under it) and no user info.
    private static Uri? ParsePlanUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex HubNamePattern();
}
