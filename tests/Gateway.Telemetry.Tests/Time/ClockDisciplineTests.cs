using Gateway.TestKit.Time;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Time;

public class ClockDisciplineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long StartMs = Start.ToUnixTimeMilliseconds();

    [Fact]
    public void BeforeSync_UsesSystemClockAndReportsUnsynced()
    {
        var time = new ManualTimeProvider(Start);
        var clock = new ClockDiscipline(time);
        Assert.False(clock.IsSynchronized);
        Assert.Equal(TimeQuality.Unsynced, clock.Quality);
        Assert.Equal(ClockSource.None, clock.Source);
        long captured = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(StartMs, clock.ToUnixMilliseconds(captured, out var quality));
        Assert.Equal(TimeQuality.Unsynced, quality);
        // Unsynced conversions follow the wall clock as it is now, jumps included: that is why they are flagged.
        time.JumpUtc(TimeSpan.FromHours(1));
        Assert.Equal(StartMs + 3_600_000, clock.ToUnixMilliseconds(captured));
    }

    [Fact]
    public void SynchronizeFromSystemClock_ThenWallClockJump_DoesNotMoveConvertedTimestamps()
    {
        var time = new ManualTimeProvider(Start);
        var clock = new ClockDiscipline(time);
        time.Advance(TimeSpan.FromSeconds(10));
        clock.SynchronizeFromSystemClock();
        long captured = time.GetTimestamp();
        long before = clock.ToUnixMilliseconds(captured);
        Assert.Equal(StartMs + 10_000, before);

        time.JumpUtc(TimeSpan.FromHours(-5));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(before, clock.ToUnixMilliseconds(captured, out var quality));
        Assert.Equal(TimeQuality.Synced, quality);
        Assert.Equal(ClockSource.SystemClock, clock.Source);
        Assert.Equal(before + 60_000, clock.ToUnixMilliseconds(time.GetTimestamp()));
    }

    [Fact]
    public void Synchronize_FromGpsFix_OverridesAWrongSystemClock()
    {
        // A Pi after a power cut: fake-hwclock restored a time 6 hours behind.
        var time = new ManualTimeProvider(Start.AddHours(-6));
        var clock = new ClockDiscipline(time);
        time.Advance(TimeSpan.FromSeconds(30));
        long fixArrived = time.GetTimestamp();
        clock.Synchronize(Start, fixArrived, ClockSource.Gps);

        Assert.True(clock.IsSynchronized);
        Assert.Equal(ClockSource.Gps, clock.Source);
        Assert.Equal(StartMs, clock.ToUnixMilliseconds(fixArrived));
        Assert.Equal(StartMs - 30_000, clock.ToUnixMilliseconds(0)); // captured before the fix: re-based too
        Assert.Equal(StartMs + 1_500, clock.ToUnixMilliseconds(fixArrived + TimeSpan.TicksPerMillisecond * 1_500));
    }

    [Fact]
    public void ToUnixMilliseconds_BeforeAMillisecond_RoundsDown()
    {
        var time = new ManualTimeProvider(Start);
        var clock = new ClockDiscipline(time);
        clock.SynchronizeFromSystemClock();
        Assert.Equal(StartMs - 1, clock.ToUnixMilliseconds(-1));
        Assert.Equal(StartMs, clock.ToUnixMilliseconds(TimeSpan.TicksPerMillisecond - 1));
    }

    [Fact]
    public void ToUnixMilliseconds_NanosecondCounterAfterMonthsOfUptime_DoesNotOverflow()
    {
        var time = new NanosecondTimeProvider { Timestamp = 200L * 24 * 3600 * 1_000_000_000 };
        var clock = new ClockDiscipline(time);
        clock.Synchronize(Start, time.Timestamp, ClockSource.Gps);
        Assert.Equal(StartMs + 3_600_000, clock.ToUnixMilliseconds(time.Timestamp + 3_600L * 1_000_000_000));
        Assert.Equal(StartMs - 100L * 24 * 3_600_000, clock.ToUnixMilliseconds(time.Timestamp / 2));
    }

    [Fact]
    public void Synchronize_WithSourceNoneOrPps_Throws()
    {
        var clock = new ClockDiscipline(new ManualTimeProvider());
        Assert.Throws<ArgumentException>(() => clock.Synchronize(Start, 0, ClockSource.None));
        Assert.Throws<ArgumentException>(() => clock.Synchronize(Start, 0, ClockSource.GpsPps));
    }

    private sealed class NanosecondTimeProvider : TimeProvider
    {
        public long Timestamp { get; set; }

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => Timestamp;
    }
}
