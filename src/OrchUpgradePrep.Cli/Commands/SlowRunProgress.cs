using OrchUpgradePrep.Model;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// Progress on stderr while the checks run. In a terminal: one live line redrawn in place ("[12/129] orch-ms01
/// restart.cbs-reboot-pending: met"), cleared when the run ends, so the report that follows starts on a clean line.
/// Outside a terminal (a pipeline log, where a carriage return does not redraw): quiet for fast runs, then — once the
/// run is older than <see cref="QuietPeriod"/> — one line per finished check, so the log shows the run is alive.
/// Reported synchronously from the runner's workers, hence the lock.
/// </summary>
internal sealed class SlowRunProgress : IProgress<CheckResult>
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    // Erase the whole line (CSI 2 K) after the carriage return, so a shorter text leaves no tail of the longer one.
    private const string RedrawLine = "\r\u001b[2K";

    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly int _total;
    private readonly int? _liveWidth;
    private readonly Lock _gate = new();
    private int _done;
    private bool _lineOpen;

    /// <param name="liveWidth">The terminal's width when stderr is one (a live line no wider, since a wrapped line cannot be
    /// redrawn); null outside a terminal.</param>
    public SlowRunProgress(TextWriter error, TimeProvider time, int total, int? liveWidth = null)
    {
        _error = error;
        _time = time;
        _total = total;
        _liveWidth = liveWidth is { } width ? Math.Max(width, 20) : null;
        _started = time.GetTimestamp();
    }

    public void Report(CheckResult value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _done++;
            if (_liveWidth is { } width)
            {
                var text = $"orchprep: [{_done}/{_total}] {value.Host} {value.Id}: {WireNames.Of(value.Status)}";
                _error.Write(RedrawLine + (text.Length < width ? text : text[..(width - 2)] + "…"));
                _lineOpen = true;
                if (_done >= _total)
                {
                    ClearLine();
                }

                _error.Flush();
                return;
            }

            if (_time.GetElapsedTime(_started) < QuietPeriod)
            {
                return;
            }

            _error.WriteLine($"orchprep: [{_done}/{_total}] {value.Host} {value.Id}: {WireNames.Of(value.Status)} ({value.DurationMs} ms)");
            _error.Flush();
        }
    }

    /// <summary>Clears a live line left open (a run cancelled or cut by its deadline before every check reported).</summary>
    public void Close()
    {
        lock (_gate)
        {
            ClearLine();
            _error.Flush();
        }
    }

    private void ClearLine()
    {
        if (_lineOpen)
        {
            _error.Write(RedrawLine);
            _lineOpen = false;
        }
    }
}
