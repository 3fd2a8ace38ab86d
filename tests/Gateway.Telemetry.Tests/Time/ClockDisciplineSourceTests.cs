using FsCheck;
using FsCheck.Fluent;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Time;

/// <summary>Source ranking, policy, step versus slew, a GPS that loses its fix, and system clock jumps (DESIGN §4.2).</summary>
public class ClockDisciplineSourceTests
{
    private static readonly DateTimeOffset True = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long TrueMs = True.ToUnixTimeMilliseconds();
    private const long Second = TimeSpan.TicksPerSecond;
    private const long Ms = TimeSpan.TicksPerMillisecond;

    [Theory]
    [InlineData(TimeSourcePolicy.Gps, false, true)]
    [InlineData(TimeSourcePolicy.System, true, false)]
    [InlineData(TimeSourcePolicy.GpsOrSystem, true, true)]
    public void Policy_DecidesWhichSourcesAreAccepted(TimeSourcePolicy policy, bool system, bool gps)
    {
        var time = new ManualTimeProvider(True);
        var a = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = policy });
        Assert.Equal(system, a.SynchronizeFromSystemClock());
        var b = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = policy });
        Assert.Equal(gps, b.Synchronize(True, time.GetTimestamp(), ClockSource.Gps));
        Assert.Equal(system ? 0 : 1, a.IgnoredSynchronizations);
        Assert.Equal(system, a.IsSynchronized);
        Assert.Equal(gps, b.IsSynchronized);
    }

    [Fact]
    public void GpsOrSystem_GpsTakesOverWithOneStep_AndTheSystemClockNeverOverridesIt()
    {
        // NTP says the clock is good, but it is 400 ms off GPS (NMEA latency is part of that; it does not matter here).
        var time = new ManualTimeProvider(True.AddMilliseconds(400));
        var clock = new ClockDiscipline(time);
        var steps = new List<ClockStep>();
        clock.Stepped += steps.Add;
        Assert.True(clock.SynchronizeFromSystemClock());
        Assert.Equal(ClockSource.SystemClock, clock.Source);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(clock.Synchronize(True.AddSeconds(5), time.GetTimestamp(), ClockSource.Gps));
        Assert.Equal(ClockSource.Gps, clock.Source);
        Assert.Equal(TrueMs + 5_000, clock.ToUnixMilliseconds(time.GetTimestamp()));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(clock.SynchronizeFromSystemClock());
        Assert.Equal(ClockSource.Gps, clock.Source);
        Assert.Equal(TrueMs + 605_000, clock.ToUnixMilliseconds(time.GetTimestamp()));
        Assert.Equal([ClockSource.SystemClock, ClockSource.Gps], steps.Select(s => s.Source));
        Assert.Equal(TimeSpan.FromMilliseconds(-400), steps[1].Correction);
        Assert.Equal(2, clock.Steps);
        Assert.Equal(1, clock.IgnoredSynchronizations);
    }

    [Fact]
    public async Task FirstSync_ReportsHowFarTheSystemClockWasOff_AndCompletesWhenSynchronized()
    {
        var time = new ManualTimeProvider(True.AddHours(-6)); // fake-hwclock after a power cut
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        ClockStep? step = null;
        clock.Stepped += s => step = s;
        Assert.False(clock.WhenSynchronized.IsCompleted);
        clock.Synchronize(True, time.GetTimestamp(), ClockSource.Gps);
        Assert.Equal(new ClockStep(ClockSource.None, ClockSource.Gps, TimeSpan.FromHours(6)), step);
        await clock.WhenSynchronized.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void GpsJitter_IsSlewedAt500Ppm_NotStepped()
    {
        var time = new ManualTimeProvider(True);
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        clock.Synchronize(True, 0, ClockSource.Gps);
        // The next fix arrived 40 ms later than the first one did (receiver latency varies): the offset should move
        // 40 ms back, at 0.5 ms per second of monotonic time.
        time.Advance(TimeSpan.FromSeconds(1));
        clock.Synchronize(True.AddSeconds(1), Second + 40 * Ms, ClockSource.Gps);
        Assert.Equal(1, clock.Steps);
        Assert.Equal(TrueMs + 1_040, clock.ToUnixMilliseconds(Second + 40 * Ms));
        Assert.Equal(TrueMs + 11_035, clock.ToUnixMilliseconds(11 * Second + 40 * Ms)); // 10 s later: 5 ms slewed
        Assert.Equal(TrueMs + 101_000, clock.ToUnixMilliseconds(101 * Second + 40 * Ms)); // 80 s: all 40 ms slewed
    }

    [Fact]
    public void GpsFixWithLessDelay_MovesTheOffsetForwardAtOnce()
    {
        var time = new ManualTimeProvider(True);
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        // The first fix was read 900 ms late (the agent was starting); the next one 100 ms late.
        clock.Synchronize(True, 900 * Ms, ClockSource.Gps);
        Assert.Equal(TrueMs, clock.ToUnixMilliseconds(900 * Ms));
        clock.Synchronize(True.AddSeconds(1), Second + 100 * Ms, ClockSource.Gps);
        Assert.Equal(TrueMs + 1_000, clock.ToUnixMilliseconds(Second + 100 * Ms));
        Assert.Equal(TrueMs - 100, clock.ToUnixMilliseconds(0)); // monotonic 0 was True: 100 ms of delay remain
        Assert.Equal(1, clock.Steps); // a forward correction is not a reported step
    }

    [Fact]
    public void CorrectionBeyondTheThreshold_Steps()
    {
        var time = new ManualTimeProvider(True);
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        clock.Synchronize(True, 0, ClockSource.Gps);
        // A receiver that had the wrong GPS week, or a leap second it applied late: 2 s off.
        clock.Synchronize(True.AddSeconds(12), 10 * Second, ClockSource.Gps);
        Assert.Equal(2, clock.Steps);
        Assert.Equal(TrueMs + 12_000, clock.ToUnixMilliseconds(10 * Second));
    }

    [Fact]
    public void GpsThatLosesItsFix_HoldsOverTheLastOffset_ThroughSystemClockJumps()
    {
        var time = new ManualTimeProvider(True.AddHours(-3));
        var clock = new ClockDiscipline(time);
        for (int i = 0; i < 5; i++)
        {
            clock.Synchronize(True.AddSeconds(i), time.GetTimestamp(), ClockSource.Gps);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        // The fix is lost (tunnel, antenna cable): no more syncs. NTP comes up and steps the wall clock to the truth,
        // then someone sets it wrong by hand; neither moves a converted timestamp nor lowers its quality.
        time.Advance(TimeSpan.FromHours(2));
        time.JumpUtc(TimeSpan.FromHours(3));
        Assert.False(clock.SynchronizeFromSystemClock());
        time.JumpUtc(TimeSpan.FromDays(-400));
        long captured = time.GetTimestamp();
        Assert.Equal(TrueMs + 5_000 + 7_200_000, clock.ToUnixMilliseconds(captured, out var quality));
        Assert.Equal(TimeQuality.Synced, quality);
        Assert.Equal(ClockSource.Gps, clock.Source);

        // The fix comes back with the same offset: nothing steps.
        clock.Synchronize(DateTimeOffset.FromUnixTimeMilliseconds(TrueMs + 5_000 + 7_200_000), captured, ClockSource.Gps);
        Assert.Equal(1, clock.Steps);
    }

    [Fact]
    public void SystemPolicy_FollowsNoWallClockStepAfterItsSync()
    {
        var time = new ManualTimeProvider(True);
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.System });
        clock.SynchronizeFromSystemClock();
        time.Advance(TimeSpan.FromSeconds(30));
        time.JumpUtc(TimeSpan.FromSeconds(-7)); // NTP steps the clock back
        Assert.False(clock.Synchronize(True, 0, ClockSource.Gps));
        Assert.Equal(TrueMs + 30_000, clock.ToUnixMilliseconds(time.GetTimestamp()));
    }

    [Fact]
    public void JitteryFixes_NeverMakeConvertedTimeRunBackwards()
    {
        // Property: whatever the fixes' latency jitter (up to ±300 ms, below the step threshold), readings converted
        // after each fix, 2 ms apart in capture, get strictly increasing milliseconds.
        var jitter = Gen.Choose(-300, 300).ArrayOf().Where(a => a.Length > 0);
        var property = Prop.ForAll(jitter.ToArbitrary(), latencies =>
        {
            var time = new ManualTimeProvider(True);
            var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
            long last = long.MinValue;
            long capture = 0;
            for (int fix = 0; fix < latencies.Length; fix++)
            {
                long arrival = fix * Second + 500 * Ms + latencies[fix] * Ms;
                clock.Synchronize(True.AddSeconds(fix), arrival, ClockSource.Gps);
                for (long end = (fix + 1) * Second; capture < end; capture += 2 * Ms)
                {
                    long ms = clock.ToUnixMilliseconds(capture);
                    if (ms <= last) return false;
                    last = ms;
                }
            }
            return clock.Steps == 1;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
