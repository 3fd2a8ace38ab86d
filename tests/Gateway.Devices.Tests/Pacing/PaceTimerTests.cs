using Gateway.Devices.Pacing;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Pacing;

/// <summary>
/// The timer under every adjustable source. <see cref="ManualTimeProvider"/> fires timers on the thread that advances
/// it, so whether a wait has completed is known right after each step.
/// </summary>
public sealed class PaceTimerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Ticks_EveryPeriod()
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(10), _time);
        await AssertNextTickAfterAsync(timer, TimeSpan.FromSeconds(10));
        await AssertNextTickAfterAsync(timer, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TicksWhileNobodyWaits_CoalesceIntoOne()
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(1), _time);
        _time.Advance(TimeSpan.FromSeconds(3.5));
        Assert.True(await timer.WaitForNextTickAsync());
        var next = timer.WaitForNextTickAsync();
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(next.IsCompleted);
        Assert.True(await next);
    }

    [Fact]
    public async Task Change_ShorterPeriodAlreadyPassed_CompletesThePendingWaitAtOnce()
    {
        using var timer = new PaceTimer(TimeSpan.FromHours(1), _time);
        var wait = timer.WaitForNextTickAsync();
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(wait.IsCompleted);

        timer.Change(TimeSpan.FromSeconds(1));

        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
        // The period then runs from that tick: the next one is a second later, not an hour.
        await AssertNextTickAfterAsync(timer, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(10, 2, 5)]   // shortened, not yet due: ticks one new period after the previous tick (5 s), not at 2 + 5
    [InlineData(10, 2, 30)]  // lengthened: 30 s after the previous tick
    [InlineData(10, 9.9, 5)] // shortened and overdue: at once
    public async Task Change_MeasuresTheNewPeriodFromThePreviousTick(double period, double changeAt, double newPeriod)
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(period), _time);
        var wait = timer.WaitForNextTickAsync();
        _time.Advance(TimeSpan.FromSeconds(changeAt));

        timer.Change(TimeSpan.FromSeconds(newPeriod));

        var expected = Math.Max(newPeriod, changeAt);
        var ticks = new List<double>();
        var now = changeAt;
        while (ticks.Count < 3)
        {
            if (wait.IsCompleted)
            {
                Assert.True(wait.IsCompleted);
        Assert.True(await wait);
                ticks.Add(now);
                wait = timer.WaitForNextTickAsync();
                continue;
            }
            _time.Advance(TimeSpan.FromSeconds(0.1));
            now = Math.Round(now + 0.1, 1);
        }
        Assert.Equal([expected, expected + newPeriod, expected + (2 * newPeriod)], ticks.Select(t => Math.Round(t, 1)));
        Assert.Equal(TimeSpan.FromSeconds(newPeriod), timer.Period);
    }

    [Fact]
    public async Task Dispose_EndsAPendingWaitWithFalse_AndLaterChangesAreIgnored()
    {
        var timer = new PaceTimer(TimeSpan.FromSeconds(10), _time);
        var wait = timer.WaitForNextTickAsync();
        timer.Dispose();
        Assert.False(await wait);
        Assert.False(await timer.WaitForNextTickAsync());
        timer.Change(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await timer.WaitForNextTickAsync());
    }

    [Fact]
    public async Task Cancel_EndsThePendingWait_AndTheTimerKeepsWorking()
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(10), _time);
        using (var cts = new CancellationTokenSource())
        {
            var wait = timer.WaitForNextTickAsync(cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
        }
        var next = timer.WaitForNextTickAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await next);
    }

    [Fact]
    public void SecondConcurrentWait_Throws()
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(10), _time);
        _ = timer.WaitForNextTickAsync();
        Assert.Throws<InvalidOperationException>(() => timer.WaitForNextTickAsync());
    }

    [Fact]
    public async Task Changes_FromManyThreads_WhileTheWaiterRuns_LeaveAWorkingTimer()
    {
        using var timer = new PaceTimer(TimeSpan.FromSeconds(1), _time);
        using var stop = new CancellationTokenSource();
        var ticks = 0;
        var waiter = Task.Run(async () =>
        {
            while (await timer.WaitForNextTickAsync(stop.Token)) Interlocked.Increment(ref ticks);
        });
        var changers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 1; i <= 500; i++) timer.Change(TimeSpan.FromMilliseconds((((t * 500) + i) % 97) + 1));
        })).ToList();
        while (!changers.All(c => c.IsCompleted))
        {
            _time.Advance(TimeSpan.FromMilliseconds(7));
            await Task.Yield();
        }
        await Task.WhenAll(changers);

        // Whatever order the changes landed in, the timer now ticks on the last period set.
        timer.Change(TimeSpan.FromSeconds(1));
        var before = Volatile.Read(ref ticks);
        await SourceRunnerWait(() => Volatile.Read(ref ticks) >= before + 3, waiter, () => _time.Advance(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromSeconds(1), timer.Period);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }

    private static async Task SourceRunnerWait(Func<bool> done, Task running, Action step)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (running.IsCompleted) await running;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the timer did not tick in time");
            step();
            await Task.Delay(1);
        }
    }

    /// <summary>The next tick comes exactly <paramref name="after"/> from now: not a tenth of a second before, at once then.</summary>
    private async Task AssertNextTickAfterAsync(PaceTimer timer, TimeSpan after)
    {
        var wait = timer.WaitForNextTickAsync();
        _time.Advance(after - TimeSpan.FromSeconds(0.1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
    }
}
