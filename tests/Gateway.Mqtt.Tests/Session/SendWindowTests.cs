using Gateway.Mqtt.Session;

namespace Gateway.Mqtt.Tests.Session;

public class SendWindowTests
{
    [Fact]
    public async Task Acquire_NeverMoreThanLimit_WaiterGetsReleasedSlot()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var window = new SendWindow(2);
        Assert.True(window.TryAcquire());
        Assert.True(window.TryAcquire());
        Assert.False(window.TryAcquire());
        var waiting = window.AcquireAsync(cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        window.Release();
        await waiting.WaitAsync(cts.Token);
        Assert.Equal(2, window.Used);
    }

    [Fact]
    public async Task DeferredWake_ReleasesCountAtOnce_WaiterWokenOnceAtTheEnd()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var window = new SendWindow(3);
        for (var i = 0; i < 3; i++) Assert.True(window.TryAcquire());
        var waiting = window.AcquireAsync(cts.Token).AsTask();

        window.BeginDeferWake();
        window.Release();
        window.Release();
        await Task.Delay(50, cts.Token);
        // The slots are free at once (another TryAcquire may take them) but the waiter sleeps until the burst ends.
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, window.Used);
        window.EndDeferWake();

        await waiting.WaitAsync(cts.Token);
        Assert.Equal(2, window.Used);
        Assert.True(window.TryAcquire());
        Assert.False(window.TryAcquire());
    }

    [Fact]
    public void DeferredWake_NoReleaseOrNoWaiter_EndIsHarmless()
    {
        var window = new SendWindow(1);
        window.BeginDeferWake();
        window.EndDeferWake();
        Assert.True(window.TryAcquire());
        window.BeginDeferWake();
        window.Release();
        window.EndDeferWake();
        Assert.Equal(0, window.Used);
    }
}
