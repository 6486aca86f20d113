using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Gates.GitHub;

public sealed class DeliveryReplayCacheTests
{
    private static void Decide(DeliveryReplayCache cache, string id, bool delivered = true)
    {
        Assert.Equal(DeliveryStart.Started, cache.Begin(id));
        Assert.False(cache.Finish(id, delivered));
    }

    [Fact]
    public void ADeliveredDecision_MakesTheSameIdAReplay()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        Decide(cache, "a");

        Assert.Equal(DeliveryStart.AlreadyDecided, cache.Begin("a"));
        Assert.Equal(DeliveryStart.Started, cache.Begin("b"));
    }

    [Fact]
    public void ADecisionThatWasNotDelivered_IsStartedAgainWhenTheIdComesBack()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        Decide(cache, "a", delivered: false);

        Assert.Equal(DeliveryStart.Started, cache.Begin("a"));
        Assert.False(cache.Finish("a", delivered: true));
        Assert.Equal(DeliveryStart.AlreadyDecided, cache.Begin("a"));
    }

    [Fact]
    public void ARedeliveryWhileRunning_JoinsIt_AndMakesAnUndeliveredDecisionRunOnceMore()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        Assert.Equal(DeliveryStart.Started, cache.Begin("a"));
        Assert.Equal(DeliveryStart.JoinedRunning, cache.Begin("a"));
        Assert.Equal(DeliveryStart.JoinedRunning, cache.Begin("a"));

        Assert.True(cache.Finish("a", delivered: false)); // once more, however many joined
        Assert.Equal(DeliveryStart.JoinedRunning, cache.Begin("a"));
        Assert.True(cache.Finish("a", delivered: false));
        Assert.False(cache.Finish("a", delivered: false)); // nobody joined the second run
        Assert.Equal(DeliveryStart.Started, cache.Begin("a"));
    }

    [Fact]
    public void ARedeliveryWhileRunning_IsNotRunAgain_WhenTheDecisionWasDelivered_OrTheServiceStops()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        cache.Begin("a");
        cache.Begin("a");
        Assert.False(cache.Finish("a", delivered: true));
        Assert.Equal(DeliveryStart.AlreadyDecided, cache.Begin("a"));

        cache.Begin("b");
        cache.Begin("b");
        Assert.False(cache.Finish("b", delivered: false, mayRunAgain: false));
        Assert.Equal(DeliveryStart.Started, cache.Begin("b"));
    }

    [Fact]
    public async Task ConcurrentDeliveriesOfOneId_StartExactlyOneDecision()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        var starts = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => cache.Begin("same"))));

        Assert.Single(starts, s => s == DeliveryStart.Started);
        Assert.Equal(63, starts.Count(s => s == DeliveryStart.JoinedRunning));
    }

    [Fact]
    public void MemoryIsBounded_TheOldestIdsAreForgottenFirst()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider(), capacity: 100);
        for (var i = 0; i < 1000; i++)
        {
            Decide(cache, $"id-{i}");
        }

        Assert.Equal(100, cache.Count);
        Assert.Equal(DeliveryStart.AlreadyDecided, cache.Begin("id-999"));
        Assert.Equal(DeliveryStart.Started, cache.Begin("id-0"));
    }

    [Fact]
    public void IdsOlderThanTheWindow_AreForgotten()
    {
        var time = new FakeTimeProvider();
        var cache = new DeliveryReplayCache(time);
        Decide(cache, "a");
        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(DeliveryStart.AlreadyDecided, cache.Begin("a"));
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(DeliveryStart.Started, cache.Begin("a"));
    }
}
