using OrchUpgradePrep.Config;
using OrchUpgradePrep.Prerequisites.Runbooks;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// The drain's live list on stderr: a line whenever what still runs changes, and at least every 30 s while it does
/// not, so a pipeline log shows the wait is alive and what it waits for.
/// </summary>
internal sealed class DrainProgressWriter(TextWriter error) : IProgress<DrainStatus>
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private string? _lastSet;
    private TimeSpan _lastAt = TimeSpan.MinValue;

    public void Report(DrainStatus value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var set = string.Join(",", value.WaitingFor.Select(j => j.Id));
            if (set == _lastSet && value.Elapsed - _lastAt < Heartbeat)
            {
                return;
            }

            _lastSet = set;
            _lastAt = value.Elapsed;
            var at = $"{Duration.Format(TimeSpan.FromSeconds(Math.Floor(value.Elapsed.TotalSeconds)))} of {Duration.Format(value.Timeout)}";
            if (value.WaitingFor.Count == 0)
            {
                error.WriteLine($"drain: nothing left running ({at})");
                return;
            }

            error.WriteLine($"drain: waiting for {value.WaitingFor.Count} job(s) ({at}):");
            foreach (var job in value.WaitingFor)
            {
                error.WriteLine($"  - {JobDescriptions.Describe(job)} (job {job.Id})");
            }
        }
    }
}
