namespace OrchUpgradePrep.Pipelines.Gates.GitHub;

/// <summary>
/// The delivery ids (<c>X-GitHub-Delivery</c>) seen lately, so a replayed or redelivered webhook starts no second
/// decision. Bounded both ways: at most <see cref="Capacity"/> ids, none older than <see cref="Window"/>.
/// </summary>
public sealed class DeliveryReplayCache
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();
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

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>True the first time an id is offered (within the window); false for a replay.</summary>
    public bool TryRecord(string deliveryId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            while (_order.TryPeek(out var oldest) && (now - oldest.At >= Window || _order.Count >= Capacity))
            {
                _order.Dequeue();
                _seen.Remove(oldest.Id);
            }

            if (!_seen.TryAdd(deliveryId, now))
            {
                return false;
            }

            _order.Enqueue((deliveryId, now));
            return true;
        }
    }
}
