namespace OrchUpgradePrep.Gates.GitHub;

/// <summary>What to do with a delivery id (<c>X-GitHub-Delivery</c>) that has just arrived.</summary>
public enum DeliveryStart
{
    /// <summary>New, or its earlier decision was never delivered: decide now.</summary>
    Started,

    /// <summary>A decision for this id is running now: not started twice; if that one is not delivered, it runs once more.</summary>
    JoinedRunning,

    /// <summary>Its decision was delivered: a replay, ignored.</summary>
    AlreadyDecided,
}

/// <summary>
/// Delivery ids and their decisions. Only a delivered decision (the callback answered 2xx) makes a later delivery with
/// the same id a replay: a redelivery of one whose decision could not be sent is decided again, so a deployment never
/// waits on a decision this service lost. One decision per id at a time: a redelivery that arrives while its decision
/// runs joins it, and makes it run once more if it ends undelivered. Delivered ids are bounded both ways: at most
/// <see cref="Capacity"/>, none older than <see cref="Window"/>; running ids are bounded by the decisions in flight.
/// </summary>
public sealed class DeliveryReplayCache
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _decided = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();

    // Running ids → whether a redelivery arrived while it ran.
    private readonly Dictionary<string, bool> _running = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public DeliveryReplayCache(TimeProvider time, int capacity = 10_000, TimeSpan? window = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Capacity = capacity;
        Window = window ?? TimeSpan.FromHours(24);
    }

    public int Capacity { get; }
    public TimeSpan Window { get; }

    /// <summary>Delivered decisions remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _decided.Count;
            }
        }
    }

    public DeliveryStart Begin(string deliveryId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        lock (_lock)
        {
            Forget(_time.GetUtcNow(), makeRoom: false);
            if (_decided.ContainsKey(deliveryId))
            {
                return DeliveryStart.AlreadyDecided;
            }

            if (_running.ContainsKey(deliveryId))
            {
                _running[deliveryId] = true;
                return DeliveryStart.JoinedRunning;
            }

            _running[deliveryId] = false;
            return DeliveryStart.Started;
        }
    }

    /// <summary>
    /// Records how a started decision ended. True means "decide once more": it was not delivered, a redelivery joined it,
    /// and <paramref name="mayRunAgain"/> allows it; the id then stays running. Atomic, so a redelivery is never lost
    /// between "nothing joined" and "forgotten".
    /// </summary>
    public bool Finish(string deliveryId, bool delivered, bool mayRunAgain = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        lock (_lock)
        {
            var joined = _running.TryGetValue(deliveryId, out var waiting) && waiting;
            if (!delivered && joined && mayRunAgain)
            {
                _running[deliveryId] = false;
                return true;
            }

            _running.Remove(deliveryId);
            if (delivered)
            {
                var now = _time.GetUtcNow();
                Forget(now, makeRoom: true);
                _decided[deliveryId] = now;
                _order.Enqueue((deliveryId, now));
            }

            return false;
        }
    }

    // Oldest first: past the window, or (making room for one more) at capacity.
    private void Forget(DateTimeOffset now, bool makeRoom)
    {
        while (_order.TryPeek(out var oldest) && (now - oldest.At >= Window || (makeRoom && _order.Count >= Capacity)))
        {
            _order.Dequeue();
            _decided.Remove(oldest.Id);
        }
    }
}
