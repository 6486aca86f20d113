using OrchUpgradePrep.Prerequisites.Backup;
using OrchUpgradePrep.Cli.Reporting;
using OrchUpgradePrep.Reporting;

namespace OrchUpgradePrep.Cli.Commands;

/// <summary>
/// Progress of BACKUP / RESTORE / hashing on stderr: in a terminal a bar redrawn in place; in CI (redirected
/// output) percentage lines, which is what a pipeline log can show — in normal and quiet verbosity the first step and
/// then one per 10 %, in detailed and diagnostic every step SQL Server reports. Synchronous, hence the lock.
/// </summary>
internal sealed class BackupProgressWriter(TextWriter error, bool interactive, ConsoleVerbosity verbosity = ConsoleVerbosity.Detailed) : IProgress<BackupProgress>
{
    private const int BarWidth = 30;
    private readonly Lock _gate = new();
    private bool _barOpen;
    private (string Step, int Percent) _last = (string.Empty, -1);
    private (string Step, int Tenth) _lastLine = (string.Empty, -1);

    public void Report(BackupProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (value.Percent is { } percent)
            {
                if (_last == (value.Step, percent))
                {
                    return;
                }

                _last = (value.Step, percent);
                if (interactive)
                {
                    if (percent == 0)
                    {
                        EndBar();
                        error.WriteLine($"orchprep: {value.Step}: {value.Text}");
                    }

                    var filled = Math.Clamp(percent, 0, 100) * BarWidth / 100;
                    error.Write($"\r  {value.Step,-8} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {percent,3}%");
                    _barOpen = true;
                    if (percent >= 100)
                    {
                        EndBar();
                    }
                }
                else if (percent > 0)
                {
                    // A new step's first percentage always shows (it proves the step moves); after it, one line per tenth.
                    var tenth = percent / 10;
                    var thinned = verbosity < ConsoleVerbosity.Detailed && _lastLine.Step == value.Step && tenth <= _lastLine.Tenth;
                    if (!thinned)
                    {
                        _lastLine = (value.Step, tenth);
                        error.WriteLine($"orchprep: {value.Step} {percent}% ({value.Text})");
                    }
                }
                else
                {
                    error.WriteLine($"orchprep: {value.Step}: {value.Text}");
                }
            }
            else
            {
                EndBar();
                error.WriteLine($"orchprep: {value.Step}: {value.Text}");
            }

            error.Flush();
        }
    }

    /// <summary>Ends a bar left open (a step that stopped short of 100 %, a cancel), so the next line starts on its own.</summary>
    public void Close()
    {
        lock (_gate)
        {
            EndBar();
            error.Flush();
        }
    }

    private void EndBar()
    {
        if (_barOpen)
        {
            error.WriteLine();
            _barOpen = false;
        }
    }
}
