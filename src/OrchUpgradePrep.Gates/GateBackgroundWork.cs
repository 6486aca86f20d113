namespace OrchUpgradePrep.Gates;

/// <summary>
/// Work a request started but does not wait for (webhooks are answered at once, decided later). Tracked so the
/// service can wait for it on shutdown, and so a failure is logged rather than lost.
/// </summary>
public sealed class GateBackgroundWork : IDisposable
{
    private readonly GateLog _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly Lock _lock = new();

    public GateBackgroundWork(GateLog log) => _log = log;

    public CancellationToken Stopping => _stopping.Token;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    public void Start(string what, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                _log.Write($"{what}: cancelled, the service is stopping");
            }
            catch (Exception ex)
            {
                _log.Write($"{what}: failed: {ex.GetType().Name}: {ex.Message}");
            }
        });
        lock (_lock)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(t =>
        {
            lock (_lock)
            {
                _running.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for what is running, then cancels what is left after the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) != all)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>For tests: until everything started so far has finished.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task[] running;
            lock (_lock)
            {
                running = [.. _running];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
