using Gateway.Devices.Counter;
using Gateway.Devices.Tests.Support;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.Counter;

public sealed class CounterSourceTests
{
    [Theory]
    [InlineData(1.0, 1, 10)]
    [InlineData(10.0, 1, 50)]
    [InlineData(2000.0, 1, 6000)]
    [InlineData(3.0, 1000, 9)]
    [InlineData(0.5, 1, 3)]
    public async Task RunAsync_EmitsConsecutiveSeqAtTheConfiguredRate(double rate, long firstSeq, int count)
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", rate, firstSeq);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);

        // Never ahead of ⌊elapsed · rate⌋, and never behind it by more than one timer tick (10 ms, or 1/rate when slower).
        var tick = Math.Max(1 / rate, 0.01);
        var step = TimeSpan.FromMilliseconds(10);
        var elapsed = 0.0;
        while (elapsed < (count / rate) + tick)
        {
            time.Advance(step);
            elapsed += step.TotalSeconds;
            var lower = Math.Min(count, (long)Math.Floor(((elapsed - tick) * rate) + 1e-9));
            await SourceRunner.WaitForAsync(() => sink.Count >= lower, running);
            Assert.True(sink.Count <= Math.Floor((elapsed * rate) + 1e-9), $"{sink.Count} readings after {elapsed} s at {rate}/s");
            if (sink.Count >= count) break;
        }
        await SourceRunner.StopAsync(cts, running);

        var readings = sink.Snapshot();
        Assert.Equal(count, readings.Count);
        for (var i = 0; i < readings.Count; i++) Assert.Equal(firstSeq + i, readings[i].Values[0]);
        Assert.Equal(firstSeq + count, source.NextSeq);
        Assert.Same(Measurements.Counter, source.Schema);
    }

    [Theory]
    [InlineData(1000.0)]
    [InlineData(400.0)]
    [InlineData(7.0)]
    public async Task RunAsync_ReadingsPostedInOneTick_HaveDistinctScheduledMilliseconds(double rate)
    {
        // The store identifies a point by its millisecond timestamp: two readings in one millisecond would collapse
        // into one. At these rates a 10 ms tick (or a long step) posts several readings at once.
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", rate);
        var readings = await SourceRunner.CollectAsync(source, time, TimeSpan.FromMilliseconds(50), 20);

        var millis = readings.Select(r => r.MonotonicTimestamp * 1000 / time.TimestampFrequency).ToList();
        Assert.Equal(millis.Count, millis.Distinct().Count());
        Assert.Equal(millis.Order(), millis);
        // Each reading is stamped at its schedule, n / rate after the start, not at the tick that posted it.
        for (var i = 0; i < readings.Count; i++)
            Assert.Equal((long)((i + 1) * (double)time.TimestampFrequency / rate), readings[i].MonotonicTimestamp);
    }

    [Fact]
    public async Task RunAsync_SinkRefuses_SeqStillConsumedSoTheGapShowsTheLoss()
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", 100);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);

        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= 10, running);
        sink.Refuse = true;
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Offered >= 20, running);
        sink.Refuse = false;
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Offered >= 30 && sink.Count >= 20, running);
        await SourceRunner.StopAsync(cts, running);

        var seqs = sink.Snapshot().Select(r => (long)r.Values[0]).ToList();
        var gaps = seqs.Zip(seqs.Skip(1), (a, b) => b - a - 1).Sum();
        Assert.Equal(source.Refused, gaps);
        Assert.True(source.Refused >= 10);
        Assert.Equal(source.NextSeq - 1, seqs[^1]);
    }

    [Fact]
    public async Task SetRate_Faster_NewScheduleStartsAtTheChange_AndSeqStaysGapless()
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", 1);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= 3, running);
        time.Advance(TimeSpan.FromSeconds(3.5) - TimeSpan.FromTicks(time.GetTimestamp()));

        Assert.True(source.TrySetRate(100, out var previous, out var problem), problem);
        Assert.Equal(1, previous);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= 103, running);
        await SourceRunner.StopAsync(cts, running);

        // Counter readings carry their scheduled time: 1, 2, 3 s at 1/s, then from the change at 3.5 s every 10 ms.
        var readings = sink.Snapshot().Take(103).ToList();
        Assert.Equal(Enumerable.Range(1, 103).Select(i => (double)i), readings.Select(r => r.Values[0]));
        var expected = new[] { 1e7, 2e7, 3e7 }.Concat(Enumerable.Range(1, 100).Select(k => 3.5e7 + (k * 1e5)));
        Assert.Equal(expected.Select(t => (long)t), readings.Select(r => r.MonotonicTimestamp));
    }

    [Fact]
    public async Task SetRate_Slower_ReadingsDueBeforeTheChangeKeepTheOldSchedule()
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", 100);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= 50, running);
        time.Advance(TimeSpan.FromMilliseconds(5));
        var changedAt = time.GetTimestamp();

        Assert.True(source.TrySetRate(1, out var previous, out _));
        Assert.Equal(100, previous);
        var old = (int)(changedAt / TimeSpan.FromMilliseconds(10).Ticks);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(50), () => sink.Count >= old + 2, running);
        await SourceRunner.StopAsync(cts, running);

        var stamps = sink.Snapshot().Select(r => r.MonotonicTimestamp).ToList();
        Assert.Equal(Enumerable.Range(1, old).Select(k => k * TimeSpan.FromMilliseconds(10).Ticks), stamps.Take(old));
        Assert.Equal([changedAt + TimeSpan.TicksPerSecond, changedAt + (2 * TimeSpan.TicksPerSecond)], stamps.Skip(old).Take(2));
        Assert.Equal(Enumerable.Range(1, sink.Count).Select(i => (double)i), sink.Snapshot().Select(r => r.Values[0]));
    }

    [Fact]
    public async Task SetRate_ShorterThanTheTimeAlreadyWaited_WakesThePendingWait()
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", 1 / 3600.0);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, sink.Count);

        Assert.True(source.TrySetRate(10, out _, out var problem), problem);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= 2, running);
        await SourceRunner.StopAsync(cts, running);

        // Ten minutes in, not at the hour the old rate would have waited for.
        Assert.Equal([TimeSpan.FromSeconds(600.1).Ticks, TimeSpan.FromSeconds(600.2).Ticks], sink.Snapshot().Take(2).Select(r => r.MonotonicTimestamp));
    }

    [Fact]
    public async Task SetRate_ConcurrentCallers_FormOneChain_AndReadingsStayGaplessAndDistinct()
    {
        var time = new ManualTimeProvider();
        var source = new CounterSource("counter", 100);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        var changes = new System.Collections.Concurrent.ConcurrentBag<(double Previous, double Rate)>();
        var setters = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                var rate = 1 + ((t * 100) + i) * 2.5;
                Assert.True(source.TrySetRate(rate, out var previous, out var problem), problem);
                changes.Add((previous, rate));
            }
        })).ToList();
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(3), () => setters.All(s => s.IsCompleted), running);
        await Task.WhenAll(setters);
        var final = source.RatePerSecond;
        var before = sink.Count;
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(10), () => sink.Count >= before + 20, running);
        await SourceRunner.StopAsync(cts, running);

        Assert.Equal(changes.Select(c => c.Rate).Append(100).Where(r => r != final).Order(), changes.Select(c => c.Previous).Order());
        var readings = sink.Snapshot();
        Assert.Equal(Enumerable.Range(1, readings.Count).Select(i => (double)i), readings.Select(r => r.Values[0]));
        var millis = readings.Select(r => r.MonotonicTimestamp / TimeSpan.TicksPerMillisecond).ToList();
        Assert.Equal(millis.Count, millis.Distinct().Count());
        Assert.Equal(millis.Order(), millis);
    }

    [Theory]
    [InlineData(1001, "at most 1000/s, because faster readings would share a millisecond timestamp")]
    [InlineData(1 / 4000.0, "slower than one reading an hour")]
    public void SetRate_OutsideItsLimits_IsRefused_AndLeavesTheRate(double rate, string reason)
    {
        var source = new CounterSource("counter", 5);
        Assert.False(source.TrySetRate(rate, out var previous, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Equal(5, previous);
        Assert.Equal(5, source.RatePerSecond);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadRate_Throws(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterSource("counter", rate));
}
