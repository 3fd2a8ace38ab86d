namespace Gateway.Telemetry.Time;

/// <summary>
/// Converts monotonic capture timestamps to UTC (DESIGN §4.2): UTC = monotonic + offset, where the offset is fixed at
/// the last synchronisation. A Pi has no real-time clock, so its wall clock may start hours off and later be stepped by
/// NTP; readings are stamped with monotonic time and converted here, so a wall-clock step after synchronisation does
/// not move any converted timestamp.
/// </summary>
/// <remarks>
/// Thread-safe: synchronisation publishes an immutable anchor that conversions read without locking.
/// Later (the GPS discipline issue): hold readings captured before the first sync (bounded) and re-base them when the
/// sync arrives, pick between sources (a GPS fix outranks the system clock) and slew rather than step small offset
/// changes; <see cref="Synchronize"/> is where those decisions go.
/// </remarks>
public sealed class ClockDiscipline
{
    private readonly TimeProvider _time;
    private Anchor? _anchor;

    public ClockDiscipline(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>True once any source has synchronised the offset.</summary>
    public bool IsSynchronized => Volatile.Read(ref _anchor) is not null;

    /// <summary>Where the current offset came from; <see cref="ClockSource.None"/> before any sync.</summary>
    public ClockSource Source => Volatile.Read(ref _anchor)?.Source ?? ClockSource.None;

    /// <summary>The quality that timestamps converted now carry.</summary>
    public TimeQuality Quality => IsSynchronized ? TimeQuality.Synced : TimeQuality.Unsynced;

    /// <summary>
    /// Trusts the system clock as it is now (call it when NTP reports synchronised): offset = UTC now minus monotonic now.
    /// </summary>
    public void SynchronizeFromSystemClock()
    {
        // Monotonic first, then UTC: both are read back to back, so the pair describes the same instant to within
        // the time between two calls.
        long monotonic = _time.GetTimestamp();
        Synchronize(_time.GetUtcNow(), monotonic, ClockSource.SystemClock);
    }

    /// <summary>
    /// Sets the offset from a known pair: <paramref name="utc"/> was true at <paramref name="monotonicTimestamp"/>
    /// (e.g. a GPS fix's time and the monotonic time its first byte arrived). The last synchronisation wins.
    /// </summary>
    public void Synchronize(DateTimeOffset utc, long monotonicTimestamp, ClockSource source)
    {
        if (source == ClockSource.None) throw new ArgumentException("Synchronize needs a real source (SystemClock or Gps).", nameof(source));
        Volatile.Write(ref _anchor, new Anchor(monotonicTimestamp, utc.UtcTicks, source));
    }

    /// <summary>
    /// Converts a monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/> units of this boot) to Unix milliseconds.
    /// Before any sync it uses the system clock's offset as it is at this call, and <see cref="Quality"/> says so.
    /// </summary>
    public long ToUnixMilliseconds(long monotonicTimestamp) => ToUnixMilliseconds(monotonicTimestamp, out _);

    /// <summary>
    /// As <see cref="ToUnixMilliseconds(long)"/>, also giving the quality of this very conversion (reading
    /// <see cref="Quality"/> separately could race with a synchronisation in between).
    /// </summary>
    public long ToUnixMilliseconds(long monotonicTimestamp, out TimeQuality quality)
    {
        long anchorMonotonic;
        long anchorUtcTicks;
        if (Volatile.Read(ref _anchor) is { } anchor)
        {
            anchorMonotonic = anchor.Monotonic;
            anchorUtcTicks = anchor.UtcTicks;
            quality = TimeQuality.Synced;
        }
        else
        {
            anchorMonotonic = _time.GetTimestamp();
            anchorUtcTicks = _time.GetUtcNow().UtcTicks;
            quality = TimeQuality.Unsynced;
        }
        long utcTicks = anchorUtcTicks + ToTimeSpanTicks(monotonicTimestamp - anchorMonotonic);
        // Floor division, so that an instant just before a millisecond boundary never rounds up into it.
        return Math.DivRem(utcTicks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond, out long rest) - (rest < 0 ? 1 : 0);
    }

    /// <summary>Monotonic ticks to 100 ns ticks without overflow: a 1 GHz counter times 10^7 would overflow a long in 15 minutes.</summary>
    private long ToTimeSpanTicks(long monotonicDelta)
    {
        long frequency = _time.TimestampFrequency;
        long seconds = Math.DivRem(monotonicDelta, frequency, out long remainder);
        return seconds * TimeSpan.TicksPerSecond + remainder * TimeSpan.TicksPerSecond / frequency;
    }

    private sealed record Anchor(long Monotonic, long UtcTicks, ClockSource Source);
}
