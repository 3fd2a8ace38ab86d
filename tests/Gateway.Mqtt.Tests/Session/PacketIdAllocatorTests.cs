using Gateway.Mqtt.Session;

namespace Gateway.Mqtt.Tests.Session;

public class PacketIdAllocatorTests
{
    [Fact]
    public void TryAllocate_All65535_NeverZeroNeverTwice_ThenRefuses()
    {
        var ids = new PacketIdAllocator();
        var seen = new HashSet<ushort>();
        for (var i = 0; i < 65_535; i++)
        {
            Assert.True(ids.TryAllocate(out var id));
            Assert.NotEqual(0, id);
            Assert.True(seen.Add(id));
        }
        Assert.False(ids.TryAllocate(out _));
        ids.Release(4242);
        Assert.True(ids.TryAllocate(out var reused));
        Assert.Equal(4242, reused);
    }

    [Fact]
    public void TryAllocate_SkipsIdsStillInFlight()
    {
        var ids = new PacketIdAllocator();
        Assert.True(ids.TryAllocate(out var first));
        for (var i = 1; i < 65_535; i++)
        {
            Assert.True(ids.TryAllocate(out var id));
            ids.Release(id);
        }
        // Wrapped around: the first id is still in use, so it is skipped.
        Assert.True(ids.TryAllocate(out var next));
        Assert.NotEqual(first, next);
        Assert.Equal(2, ids.InUse);
    }
}
