using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// Progress on stderr for runs that take a while (slow hosts, a long drain): once the run is older than
/// <see cref="QuietPeriod"/>, each finished check prints one line, so a pipeline log shows the run is alive.
/// Fast runs print nothing extra. Reported synchronously from the runner's workers, hence the lock.
/// </summary>
internal sealed class SlowRunProgress : IProgress<CheckResult>
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly int _total;
    private readonly Lock _gate = new();
    private int _done;

    public SlowRunProgress(TextWriter error, TimeProvider time, int total)
    {
        _error = error;
        _time = time;
        _total = total;
        _started = time.GetTimestamp();
    }

    public void Report(CheckResult value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _done++;
            if (_time.GetElapsedTime(_started) < QuietPeriod)
            {
                return;
            }

            _error.WriteLine($"orchprep: [{_done}/{_total}] {value.Host} {value.Id}: {WireNames.Of(value.Status)} ({value.DurationMs} ms)");
            _error.Flush();
        }
    }
}
