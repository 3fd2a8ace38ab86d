using System.Buffers;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Pipeline;

/// <summary>
/// Readings captured before the first sync (DESIGN §4.2): held, re-based when sync comes, released unsynced at the
/// bounds. Boot without sync, late sync, a system clock jump while holding; the steady state is a pass-through.
/// </summary>
public sealed class ClockGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a guard against hangs, not a timing assertion

    // The truth, and a Pi whose fake-hwclock restored a time 6 hours behind it.
    private static readonly DateTimeOffset True = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long TrueMs = True.ToUnixTimeMilliseconds();

    private readonly ManualTimeProvider _time = new(True.AddHours(-6));
    private readonly ReadingPipeline _pipeline = new(new PipelineOptions { Capacity = 1024 });
    private readonly SourceRegistry _sources = new();
    private readonly ClockDiscipline _clock;
    private readonly ReadingEncoder _encoder;

    public ClockGateTests()
    {
        _sources.Register("seq", Measurements.Counter);
        _clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        _encoder = new ReadingEncoder(_sources, "gw-01", _clock);
    }

    private ClockGate Gate(int maxReadings = 100, int maxAgeSeconds = 60) =>
        new(_pipeline.Reader, _clock, new ClockGateOptions { MaxReadings = maxReadings, MaxAge = TimeSpan.FromSeconds(maxAgeSeconds) }, _time);

    /// <summary>Posts seq now, then lets a second pass.</summary>
    private void Capture(params int[] seqs)
    {
        foreach (var seq in seqs)
        {
            _pipeline.TryWrite(new Reading(new SourceId(0), _time.GetTimestamp(), ReadingValues.From([seq])));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>What the batcher would encode now: every reading the gate lets through, as line protocol.</summary>
    private List<string> Drain(ClockGate gate)
    {
        var lines = new List<string>();
        var buffer = new ArrayBufferWriter<byte>();
        while (gate.TryRead(out var reading))
        {
            buffer.ResetWrittenCount();
            _encoder.Encode(reading, buffer);
            lines.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan).TrimEnd('\n'));
        }
        return lines;
    }

    private static string Synced(int seq, long ms) => $"counter,gateway=gw-01,sensor=seq seq={seq}i {ms}";

    private static string Unsynced(int seq, long ms) => $"counter,gateway=gw-01,sensor=seq,time_quality=unsynced seq={seq}i {ms}";

    [Fact]
    public void BootWithoutSync_HoldsReadings_ThenPublishesThemUnsyncedAtTheAgeLimit()
    {
        var gate = Gate(maxAgeSeconds: 60);
        Capture(1, 2, 3);
        Assert.Empty(Drain(gate));
        Assert.Equal(3, gate.Held);

        _time.Advance(TimeSpan.FromSeconds(57)); // seq 1 is now 60 s old, seq 2 59 s
        long wallMs = True.AddHours(-6).ToUnixTimeMilliseconds();
        Assert.Equal([Unsynced(1, wallMs)], Drain(gate));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([Unsynced(2, wallMs + 1_000), Unsynced(3, wallMs + 2_000)], Drain(gate));
        Assert.Equal(3, gate.ReleasedUnsynced);
        Assert.Equal(0, gate.Rebased);
    }

    [Fact]
    public void LateSync_ReBasesHeldReadingsToTrueTime_AndThenPassesThroughInOrder()
    {
        var gate = Gate();
        Capture(1, 2, 3);
        Assert.Empty(Drain(gate));

        // 30 s after boot the GPS gets its first fix: monotonic 30 s is True + 30 s.
        _time.Advance(TimeSpan.FromSeconds(27));
        _clock.Synchronize(True.AddSeconds(30), _time.GetTimestamp(), ClockSource.Gps);
        Capture(4);
        Assert.Equal([Synced(1, TrueMs), Synced(2, TrueMs + 1_000), Synced(3, TrueMs + 2_000), Synced(4, TrueMs + 30_000)], Drain(gate));
        Assert.Equal(3, gate.Rebased);
        Assert.Equal(0, gate.Held);
    }

    [Fact]
    public void SystemClockJumpWhileHolding_DoesNotChangeReBasedTimes()
    {
        var gate = Gate();
        Capture(1, 2);
        _time.JumpUtc(TimeSpan.FromHours(6) + TimeSpan.FromMilliseconds(123)); // NTP steps the wall clock
        Capture(3);
        _time.JumpUtc(TimeSpan.FromDays(-1));                                    // and someone steps it wrong
        _clock.Synchronize(True.AddSeconds(3), _time.GetTimestamp(), ClockSource.Gps);
        Assert.Equal([Synced(1, TrueMs), Synced(2, TrueMs + 1_000), Synced(3, TrueMs + 2_000)], Drain(gate));
    }

    [Fact]
    public void CountBound_ReleasesTheOldestUnsynced_TheRestWaits()
    {
        var gate = Gate(maxReadings: 2);
        Capture(1, 2, 3);
        long wallMs = True.AddHours(-6).ToUnixTimeMilliseconds();
        Assert.Equal([Unsynced(1, wallMs)], Drain(gate));
        _clock.Synchronize(True.AddSeconds(3), _time.GetTimestamp(), ClockSource.Gps);
        Assert.Equal([Synced(2, TrueMs + 1_000), Synced(3, TrueMs + 2_000)], Drain(gate));
        Assert.Equal(1, gate.ReleasedUnsynced);
        Assert.Equal(2, gate.Rebased);
    }

    [Fact]
    public void InputCompletedBeforeAnySync_ReleasesEverythingUnsynced()
    {
        var gate = Gate();
        Capture(1, 2);
        _pipeline.Complete();
        Assert.Equal(2, Drain(gate).Count(l => l.Contains("time_quality=unsynced", StringComparison.Ordinal)));
        Assert.Equal(0, gate.Held);
    }

    [Fact]
    public void HoldingDisabled_PassesReadingsThroughFlaggedUnsynced()
    {
        var gate = Gate(maxReadings: 0);
        Capture(1);
        Assert.Equal([Unsynced(1, True.AddHours(-6).ToUnixTimeMilliseconds())], Drain(gate));
    }

    [Fact]
    public async Task WaitToReadAsync_WhileHolding_WakesAtTheSync()
    {
        var gate = Gate();
        Capture(1);
        Assert.True(await gate.WaitToReadAsync().AsTask().WaitAsync(Patience));
        Assert.Empty(Drain(gate)); // data was there, and is now held

        var wait = gate.WaitToReadAsync().AsTask();
        Assert.False(wait.IsCompleted);
        _clock.Synchronize(True, 0, ClockSource.Gps);
        Assert.True(await wait.WaitAsync(Patience));
        Assert.Equal([Synced(1, TrueMs)], Drain(gate));
    }

    [Fact]
    public async Task WaitToReadAsync_WhileHolding_WakesAtTheAgeLimit_AndEndsAfterTheInput()
    {
        var gate = Gate(maxAgeSeconds: 60);
        Capture(1);
        Assert.Empty(Drain(gate));
        var wait = gate.WaitToReadAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await wait.WaitAsync(Patience));
        Assert.Single(Drain(gate));

        _pipeline.Complete();
        Assert.False(await gate.WaitToReadAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public void AfterSync_TryRead_AllocatesNothing()
    {
        var gate = Gate();
        _clock.Synchronize(True, 0, ClockSource.Gps);
        var reading = new Reading(new SourceId(0), 0, ReadingValues.From([1]));
        _pipeline.TryWrite(reading);
        gate.TryRead(out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < 10_000; i++)
        {
            _pipeline.TryWrite(reading);
            if (!gate.WaitToReadAsync().IsCompletedSuccessfully) break; // data waiting: completes synchronously
            if (gate.TryRead(out var r)) sum += r.MonotonicTimestamp + 1;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, sum);
    }
}
