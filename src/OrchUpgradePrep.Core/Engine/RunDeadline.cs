using OrchUpgradePrep.Config;

namespace OrchUpgradePrep.Engine;

/// <summary>
/// The run's deadline (--deadline): how long the steps it bounds (the checks) may take together. Its clock starts when the
/// first of them starts, so prepare's drain and backup, which have their own timeouts, do not eat into it.
/// </summary>
public sealed class RunDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private CancellationTokenSource? _clock;

    /// <param name="length">Positive, or <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    public RunDeadline(TimeSpan length, TimeProvider time)
    {
        if (length != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        }

        ArgumentNullException.ThrowIfNull(time);
        Length = length;
        _time = time;
    }

    public TimeSpan Length { get; }

    /// <summary>Cancelled when the deadline passes; never before <see cref="Start"/>.</summary>
    public CancellationToken Token => _clock?.Token ?? CancellationToken.None;

    public bool Started => _clock is not null;

    public bool Passed => _clock?.IsCancellationRequested == true;

    /// <summary>"the run's deadline (15m)", as verdicts name it.</summary>
    public string Describe() => $"the run's deadline ({Duration.Format(Length)})";

    /// <summary>Starts the clock; a second call changes nothing.</summary>
    public void Start() => _clock ??= new CancellationTokenSource(Length, _time);

    public void Dispose() => _clock?.Dispose();
}
