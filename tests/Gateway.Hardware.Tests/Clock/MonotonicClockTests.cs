using System.Diagnostics;
using Gateway.Hardware.Clock;

namespace Gateway.Hardware.Tests.Clock;

/// <summary>The one conversion from the kernel's CLOCK_MONOTONIC nanoseconds (GPIO edge timestamps) to TimeProvider units.</summary>
public sealed class MonotonicClockTests
{
    [Theory]
    [InlineData(0UL, 1_000_000_000L, 0L)]
    [InlineData(1_234_567_891UL, 1_000_000_000L, 1_234_567_891L)]            // Linux's Stopwatch: ns, unchanged
    [InlineData(1_234_567_891UL, 10_000_000L, 12_345_678L)]                  // 100 ns ticks: rounded down
    [InlineData(999UL, 1_000_000L, 0L)]                                      // under one unit
    [InlineData(86_400_000_000_000UL * 400, 10_000_000L, 864_000_000_000L * 400)] // 400 days up: ns × frequency overflows 64 bits
    [InlineData(86_400_000_000_000UL * 400, 19_200_000L, 1_658_880_000_000_000L * 400 / 1000)] // a 19.2 MHz counter (the Pi's arch timer)
    public void FromNanoseconds_ChangesTheUnitWithoutOverflow(ulong nanoseconds, long frequency, long expected)
    {
        Assert.Equal(expected, MonotonicClock.FromNanoseconds(nanoseconds, frequency));
    }

    [Fact]
    public void FromNanoseconds_RejectsAFrequencyOfZero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MonotonicClock.FromNanoseconds(1, 0));
    }

    [Fact]
    public void KernelMonotonicNanoseconds_ConvertIntoTheStopwatchsTimeline()
    {
        // The premise of using kernel edge timestamps as the agent's capture times: Stopwatch (TimeProvider.System)
        // reads CLOCK_MONOTONIC. A converted kernel reading falls between two Stopwatch readings taken around it.
        for (var i = 0; i < 100; i++)
        {
            long before = Stopwatch.GetTimestamp();
            long kernel = MonotonicClock.FromNanoseconds(MonotonicClock.NowNanoseconds());
            long after = Stopwatch.GetTimestamp();
            Assert.InRange(kernel, before, after);
        }
        Assert.Equal(TimeProvider.System.TimestampFrequency, Stopwatch.Frequency);
    }
}
