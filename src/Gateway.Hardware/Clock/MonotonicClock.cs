using System.Diagnostics;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Clock;

/// <summary>
/// The kernel's CLOCK_MONOTONIC, in which it stamps events (GPIO line events by default: gpio_v2_line_event's
/// timestamp_ns, include/uapi/linux/gpio.h), and the one conversion from it to the timestamps the rest of the gateway
/// uses (<see cref="Stopwatch.GetTimestamp"/>, which <see cref="TimeProvider.System"/> returns and the clock discipline
/// takes).
/// </summary>
/// <remarks>
/// On Linux, .NET's Stopwatch reads CLOCK_MONOTONIC itself (System.Native's SystemNative_GetTimestamp), with a
/// frequency of 10^9: the conversion is only a change of unit, exact there, and correct for any other frequency. The
/// clocks are the same, so a kernel timestamp of an edge is directly comparable with the agent's own readings of the
/// time; MonotonicClockTests check that on the machine that runs them.
/// </remarks>
public static class MonotonicClock
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>CLOCK_MONOTONIC nanoseconds to <see cref="Stopwatch"/> (TimeProvider.System) timestamp units.</summary>
    public static long FromNanoseconds(ulong nanoseconds) => FromNanoseconds(nanoseconds, Stopwatch.Frequency);

    /// <summary>
    /// Nanoseconds to units of <paramref name="frequency"/> per second, rounded down. The product is taken in 128 bits:
    /// nanoseconds times a 1 GHz frequency overflows 64 bits after 9.2 s of uptime.
    /// </summary>
    public static long FromNanoseconds(ulong nanoseconds, long frequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequency);
        if (frequency == NanosecondsPerSecond) return checked((long)nanoseconds);
        return checked((long)((UInt128)nanoseconds * (ulong)frequency / NanosecondsPerSecond));
    }

    /// <summary>CLOCK_MONOTONIC now, in nanoseconds (clock_gettime(2)); Linux only.</summary>
    public static unsafe ulong NowNanoseconds()
    {
        Libc.timespec ts;
        if (Libc.clock_gettime(Libc.CLOCK_MONOTONIC, &ts) != 0)
            throw SyscallError.Last("CLOCK_MONOTONIC", "clock_gettime(2)", "a seccomp filter may forbid the call; the agent's systemd unit must allow it");
        return (ulong)ts.tv_sec * NanosecondsPerSecond + (ulong)ts.tv_nsec;
    }
}
