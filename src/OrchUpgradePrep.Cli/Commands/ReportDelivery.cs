using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Gates.GitHub;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Reporting;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>Where a report goes when its folder failed, and the check run --publish-check-run asks for.</summary>
internal sealed class ReportDelivery(CliEnvironment cli)
{
    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);

    /// <summary>
    /// The report files failed: the verdict, the backup (path, SHA-256) and every action go to stderr, and the files to the
    /// first fallback folder that takes them (./.orchprep/&lt;environment&gt;/undelivered, then the temp folder), so the
    /// pipeline outputs and summary still point at real files. Returns those files, or null when no folder took them.
    /// </summary>
    public async Task<ReportFiles?> DeliverElsewhereAsync(Report report, ReportOutputs outputs, string problem, string outputPath, string environmentName, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"orchprep: {problem}");
        VerdictSummary.Write(report, stderr);
        foreach (var fallback in FallbackFolders(environmentName).Where(f => !SameFolder(f, outputPath)))
        {
            try
            {
                var files = outputs.WriteFiles(report, fallback);
                await stderr.WriteLineAsync($"orchprep: the report was written instead to {files.Directory}");
                return files;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                await stderr.WriteLineAsync($"orchprep: nor could it be written to {fallback}: {ex.Message}");
            }
        }

        await stderr.WriteLineAsync("orchprep: no folder took the report; the lines above are the whole record of this run: keep this log.");
        return null;
    }

    private IEnumerable<string> FallbackFolders(string environmentName)
    {
        var stamp = BackupFileNames.Stamp(cli.Time.GetUtcNow());
        yield return Path.GetFullPath(Path.Combine(".orchprep", environmentName, "undelivered-" + stamp), cli.CurrentDirectory);
        yield return Path.Combine(Path.GetTempPath(), $"orchprep-{environmentName}-undelivered-{stamp}");
    }

    /// <summary>--publish-check-run: the report as a check run on GITHUB_SHA, through the gate's publisher. False when it failed (said on stderr).</summary>
    public static async Task<bool> PublishCheckRunAsync(CheckRunDestination destination, Report report, string markdown, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var client = new GitHubApi(destination.ApiUrl).Client(new Octokit.Credentials(destination.Token, Octokit.AuthenticationType.Bearer));
            var run = await new CheckRunPublisher(client).PublishAsync(
                new CheckRunTarget(destination.Owner, destination.Repository, destination.Sha),
                $"orchprep {WireNames.Of(report.Mode)} ({report.Environment})",
                report,
                markdown,
                report.Outcome == RunOutcome.Met,
                cancellationToken);
            await stderr.WriteLineAsync($"orchprep: check run published on {destination.Owner}/{destination.Repository}@{destination.Sha}: {run.HtmlUrl}");
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"orchprep: the check run could not be published on {destination.Owner}/{destination.Repository}@{destination.Sha}: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    public static string RenderMarkdown(ReportOutputs outputs, Report report)
    {
        using var writer = new StringWriter();
        outputs.Render(report, OutputFormat.Markdown, writer, interactive: false);
        return writer.ToString();
    }
}
