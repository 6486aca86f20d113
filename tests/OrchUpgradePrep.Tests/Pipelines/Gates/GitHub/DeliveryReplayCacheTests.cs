using Microsoft.Extensions.Time.Testing;
using OrchUpgradePrep.Pipelines.Gates.GitHub;
using Xunit;

namespace OrchUpgradePrep.Tests.Pipelines.Gates.GitHub;

public sealed class DeliveryReplayCacheTests
{
    [Fact]
    public void ADeliveryId_IsTakenOnce()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider());
        Assert.True(cache.TryRecord("a"));
        Assert.False(cache.TryRecord("a"));
        Assert.True(cache.TryRecord("b"));
    }

    [Fact]
    public void MemoryIsBounded_TheOldestIdsAreForgottenFirst()
    {
        var cache = new DeliveryReplayCache(new FakeTimeProvider(), capacity: 100);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryRecord($"id-{i}"));
        }

        Assert.Equal(100, cache.Count);
        Assert.False(cache.TryRecord("id-999"));
        Assert.True(cache.TryRecord("id-0"));
    }

    [Fact]
    public void IdsOlderThanTheWindow_AreForgotten()
    {
        var time = new FakeTimeProvider();
        var cache = new DeliveryReplayCache(time);
        cache.TryRecord("a");
        time.Advance(TimeSpan.FromHours(23));
        Assert.False(cache.TryRecord("a"));
        time.Advance(TimeSpan.FromHours(2));
        Assert.True(cache.TryRecord("a"));
    }
}
