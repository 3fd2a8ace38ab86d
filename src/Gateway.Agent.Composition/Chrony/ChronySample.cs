using System.Runtime.InteropServices;

namespace Gateway.Agent.Chrony;

/// <summary>
/// One datagram of chrony's <c>refclock SOCK</c> driver: chrony's <c>struct sock_sample</c> (refclock_sock.c) in the
/// machine's own layout, since chronyd on the same machine reads it with <c>recv()</c> into that struct and checks its
/// size and magic: <c>struct timeval tv</c> (the system clock's time of the sample), <c>double offset</c> (true time
/// minus system time, seconds; for a pulse, the pulse's offset within its second), <c>int pulse</c>, <c>int leap</c>
/// (0 none, 1 insert, 2 delete), <c>int _pad</c>, <c>int magic</c> (0x534f434b, "SOCK").
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct ChronySample
{
    /// <summary>"SOCK" in ASCII: chronyd drops a datagram without it.</summary>
    public const int Magic = 0x534f434b;

    /// <summary>timeval: time_t and suseconds_t are the C long of the platform (8 bytes on arm64 and x86-64, 4 on armhf).</summary>
    public nint Seconds;

    /// <summary>timeval's microseconds within <see cref="Seconds"/>, 0..999999.</summary>
    public nint Microseconds;

    /// <summary>True time minus the system time of the sample, in seconds (positive: the system clock is behind).</summary>
    public double Offset;

    /// <summary>1 for a pulse (only the offset within the second is meaningful), 0 for a full time sample.</summary>
    public int Pulse;

    /// <summary>Leap second announced: 0 none, 1 insert, 2 delete.</summary>
    public int Leap;

    private readonly int _pad;

    /// <summary>Always <see cref="Magic"/>.</summary>
    public int MagicNumber;

    /// <summary>40 bytes on a 64-bit Linux, as chronyd's <c>sizeof(struct sock_sample)</c> there.</summary>
    public static int Size => Marshal.SizeOf<ChronySample>();

    /// <summary>A sample taken when the system clock read <paramref name="systemTime"/>.</summary>
    public static ChronySample At(DateTimeOffset systemTime, double offsetSeconds, bool pulse, int leap = 0)
    {
        var ticks = systemTime.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        return new ChronySample
        {
            Seconds = (nint)seconds,
            Microseconds = (nint)(rest / 10),
            Offset = offsetSeconds,
            Pulse = pulse ? 1 : 0,
            Leap = leap,
            MagicNumber = Magic,
        };
    }
}
