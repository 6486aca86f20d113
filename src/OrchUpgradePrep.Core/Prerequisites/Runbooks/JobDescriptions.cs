using System.Globalization;
using OrchUpgradePrep.Model;
using OrchUpgradePrep.Ports;

namespace OrchUpgradePrep.Prerequisites.Runbooks;

/// <summary>How a job is named in evidence, progress lines and actions: runbook path, job id, server, start.</summary>
public static class JobDescriptions
{
    public static string Describe(OrchestratorJob job)
    {
        var name = job.RunbookPath ?? job.RunbookName;
        var server = job.RunbookServer is { Length: > 0 } s ? $" on {s}" : string.Empty;
        var since = (job.StartedAt ?? job.CreationTime) is { } at
            ? string.Create(CultureInfo.InvariantCulture, $", {job.Status.ToLowerInvariant()} since {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z")
            : $", {job.Status.ToLowerInvariant()}";
        var flags = (job.IsMonitor ? " [monitor]" : string.Empty) + (job.IsOrphaned ? " [orphaned]" : string.Empty);
        return $"{name}{server}{since}{flags}";
    }

    public static Evidence Evidence(OrchestratorJob job) => new($"job {job.Id}", Describe(job));
}
