using System.Globalization;
using Octokit;
using OrchUpgradePrep.Model;
using ModelStatus = OrchUpgradePrep.Model.CheckStatus;

namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>Where a check run goes: a commit of a repository.</summary>
public sealed record CheckRunTarget(string Owner, string Repository, string HeadSha);

/// <summary>The check run as GitHub gave it back.</summary>
public sealed record PublishedCheckRun(long Id, string HtmlUrl, int Requests);

/// <summary>
/// A report as a GitHub check run on a commit (shared by the gate service and <c>check --publish-check-run</c>): the
/// Markdown report as the summary (cut, with a note, at GitHub's 65,535 characters), one annotation per unmet, error or
/// warning check, at most 50 per request — the run is created with the first 50, and each further 50 are added by an
/// update. The conclusion is given at creation, so a run whose later updates fail still shows the right verdict.
/// </summary>
public sealed class CheckRunPublisher
{
    public const int MaxSummaryChars = 65_535;
    public const int AnnotationsPerRequest = 50;

    /// <summary>GitHub needs a path and line for an annotation; the config file is in the repository the pipeline runs from.</summary>
    public const string AnnotationPath = "orchprep.yml";

    private readonly IGitHubClient _client;

    public CheckRunPublisher(IGitHubClient client) => _client = client;

    public async Task<PublishedCheckRun> PublishAsync(CheckRunTarget target, string name, Report? report, string summary, bool success, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var annotations = Annotations(report);
        var title = Title(report, success);
        var body = Summary(summary);
        var first = new NewCheckRun(name, target.HeadSha)
        {
            Status = Octokit.CheckStatus.Completed,
            Conclusion = success ? CheckConclusion.Success : CheckConclusion.Failure,
            Output = new NewCheckRunOutput(title, body) { Annotations = annotations.Take(AnnotationsPerRequest).ToList() },
        };

        // Octokit's check-run calls take no cancellation token: each request is bounded by GitHubApiOptions.
        var run = await _client.Check.Run.Create(target.Owner, target.Repository, first).WaitAsync(cancellationToken).ConfigureAwait(false);
        var requests = 1;
        foreach (var batch in annotations.Skip(AnnotationsPerRequest).Chunk(AnnotationsPerRequest))
        {
            var update = new CheckRunUpdate { Output = new NewCheckRunOutput(title, body) { Annotations = batch } };
            await _client.Check.Run.Update(target.Owner, target.Repository, run.Id, update).WaitAsync(cancellationToken).ConfigureAwait(false);
            requests++;
        }

        return new PublishedCheckRun(run.Id, run.HtmlUrl ?? string.Empty, requests);
    }

    /// <summary>"met: 14 met, 0 unmet, 1 warning, 0 errors" — also the deployment comment's counts.</summary>
    public static string Counts(Report? report)
    {
        if (report is null)
        {
            return "no report";
        }

        int Count(ModelStatus status) => report.Checks.Count(c => c.Status == status);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Count(ModelStatus.Met)} met, {Count(ModelStatus.Unmet)} unmet, {Count(ModelStatus.Warning)} warning(s), {Count(ModelStatus.Error)} error(s), {Count(ModelStatus.Skipped)} skipped");
    }

    private static string Title(Report? report, bool success) =>
        report is null
            ? "orchprep could not decide: rejected"
            : $"{(success ? "Prerequisites met" : "Prerequisites not met")} ({WireNames.Of(report.Outcome)}): {Counts(report)}";

    internal static string Summary(string markdown)
    {
        if (markdown.Length <= MaxSummaryChars)
        {
            return markdown;
        }

        const string note = "\n\n---\n**The report is longer than GitHub shows (65,535 characters): it was cut here.** The whole report is in the pipeline's report files (report.md, report.json).\n";
        var keep = MaxSummaryChars - note.Length;
        // Never cut a surrogate pair in half.
        if (char.IsHighSurrogate(markdown[keep - 1]))
        {
            keep--;
        }

        return markdown[..keep] + note;
    }

    internal static IReadOnlyList<NewCheckRunAnnotation> Annotations(Report? report) =>
        report is null
            ? []
            : report.Checks
                .Where(c => c.Status is ModelStatus.Unmet or ModelStatus.Error or ModelStatus.Warning)
                .Select(c => new NewCheckRunAnnotation(
                    AnnotationPath, 1, 1,
                    c.Status == ModelStatus.Warning ? CheckAnnotationLevel.Warning : CheckAnnotationLevel.Failure,
                    Message(c))
                {
                    Title = Cut($"{c.Id} on {c.Host}", 255),
                })
                .ToList();

    private static string Message(CheckResult check)
    {
        var message = $"{WireNames.Of(check.Status)}: {check.Detail}";
        if (!string.IsNullOrWhiteSpace(check.Remediation))
        {
            message += $"\nRemediation: {check.Remediation}";
        }

        if (!string.IsNullOrWhiteSpace(check.HelpUri))
        {
            message += $"\nHelp: {check.HelpUri}";
        }

        return Cut(message, 64 * 1024 - 1);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
