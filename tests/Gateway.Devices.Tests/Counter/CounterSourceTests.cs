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
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

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
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(50), () => sink.Count >= 20, running);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var readings = sink.Snapshot();
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
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var seqs = sink.Snapshot().Select(r => (long)r.Values[0]).ToList();
        var gaps = seqs.Zip(seqs.Skip(1), (a, b) => b - a - 1).Sum();
        Assert.Equal(source.Refused, gaps);
        Assert.True(source.Refused >= 10);
        Assert.Equal(source.NextSeq - 1, seqs[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadRate_Throws(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterSource("counter", rate));
}
