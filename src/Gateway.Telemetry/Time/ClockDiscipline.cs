namespace Gateway.Telemetry.Time;

/// <summary>
/// Converts monotonic capture timestamps to UTC (DESIGN §4.2): UTC = monotonic + offset. A Pi has no real-time clock,
/// so its wall clock may start hours off (fake-hwclock after a power cut) and later be stepped by NTP; readings are
/// stamped with monotonic time and converted here, so once synchronised no step of the wall clock moves a converted
/// timestamp, and no timer (they all run on monotonic time) fires early or late.
/// </summary>
/// <remarks>
/// <para>Sources, by rank: the system clock, GPS fixes, PPS edges numbered by GPS fixes (<see cref="ClockSource"/>).
/// <see cref="ClockDisciplineOptions.Sources"/> says which are accepted. A higher-ranked source takes over with one
/// step; a lower-ranked one is ignored while a higher one holds the clock (PPS gives way to GPS fixes after
/// <see cref="ClockDisciplineOptions.PpsTimeout"/> without an edge). The system clock never overrides GPS: once GPS has
/// synchronised, the offset runs on the monotonic clock (which NTP, when present, also steers in frequency).</para>
/// <para>Corrections from the current source up to <see cref="ClockDisciplineOptions.StepThreshold"/> are slewed at
/// <see cref="MaxSlewPpm"/>, the rate ntpd and the kernel's adjtime(3) use, so that the mapping from monotonic time to
/// UTC only ever rises: two readings taken 2 ms apart never swap or share a millisecond (a store keeps one point per
/// measurement, tags and timestamp, DESIGN §2). GPS fixes are the exception in one direction: a fix's time is anchored
/// at the arrival of its first byte, which is late by the receiver's output latency plus whatever delayed our read,
/// never early, so the estimate showing the least delay is the best one, and a fix that shows less delay than the
/// current offset moves it forward at once (a minimum-delay filter, as for one-way network delays). A step may move
/// timestamps backwards once; steps are reported through <see cref="Stepped"/>.</para>
/// <para>Before any sync, conversions use the system clock as it is at the call and say so with
/// <see cref="TimeQuality.Unsynced"/>; readings captured then are held by the pipeline's ClockGate and converted after
/// the sync, with its offset (re-based), when it comes in time.</para>
/// <para>Thread-safe: synchronisations are serialised and publish an immutable anchor that conversions read without
/// locking or allocating.</para>
/// </remarks>
public sealed partial class ClockDiscipline
{
    /// <summary>Largest slew, in parts per million of elapsed monotonic time: 500 ppm, as ntpd and adjtime(3).</summary>
    public const int MaxSlewPpm = 500;

    private const long SlewDivisor = 1_000_000 / MaxSlewPpm;

    private readonly TimeProvider _time;
    private readonly ClockDisciplineOptions _options;
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Anchor? _anchor;

    /// <param name="time">The monotonic clock that readings are stamped with.</param>
    /// <param name="options">Source trust, step and slew limits; the defaults when null.</param>
    public ClockDiscipline(TimeProvider time, ClockDisciplineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        options ??= new ClockDisciplineOptions();
        options.Validate();
        _time = time;
        _options = options;
    }

    /// <summary>True once any source has synchronised the offset; stays true (the offset is held over) if it is lost.</summary>
    public bool IsSynchronized => Volatile.Read(ref _anchor) is not null;

    /// <summary>Where the current offset came from; <see cref="ClockSource.None"/> before any sync.</summary>
    public ClockSource Source => Volatile.Read(ref _anchor)?.Source ?? ClockSource.None;

    /// <summary>The quality that timestamps converted now carry.</summary>
    public TimeQuality Quality => IsSynchronized ? TimeQuality.Synced : TimeQuality.Unsynced;

    /// <summary>Completes at the first synchronisation (on a pool thread, never inside <see cref="Synchronize"/>).</summary>
    public Task WhenSynchronized => _firstSync.Task;

    /// <summary>Which sources this discipline accepts.</summary>
    public TimeSourcePolicy Policy => _options.Sources;

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
        long ticks = ToTicks(monotonicTimestamp);
        long utcTicks;
        if (Volatile.Read(ref _anchor) is { } anchor)
        {
            utcTicks = ticks + anchor.OffsetAt(ticks);
            quality = TimeQuality.Synced;
        }
        else
        {
            utcTicks = ticks + SystemClockOffset();
            quality = TimeQuality.Unsynced;
        }
        // Floor division, so that an instant just before a millisecond boundary never rounds up into it.
        return Math.DivRem(utcTicks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond, out long rest) - (rest < 0 ? 1 : 0);
    }

    /// <summary>UTC ticks minus monotonic ticks according to the system clock right now.</summary>
    private long SystemClockOffset()
    {
        // Monotonic first, then UTC: read back to back, the pair describes the same instant to within two calls.
        long monotonic = ToTicks(_time.GetTimestamp());
        return _time.GetUtcNow().UtcTicks - monotonic;
    }

    /// <summary>Monotonic timestamp to 100 ns ticks without overflow: a 1 GHz counter times 10^7 overflows a long in 15 minutes.</summary>
    private long ToTicks(long monotonicTimestamp)
    {
        long frequency = _time.TimestampFrequency;
        if (frequency == TimeSpan.TicksPerSecond) return monotonicTimestamp;
        long seconds = Math.DivRem(monotonicTimestamp, frequency, out long remainder);
        return seconds * TimeSpan.TicksPerSecond + remainder * TimeSpan.TicksPerSecond / frequency;
    }

    /// <summary>
    /// The offset (UTC ticks minus monotonic ticks) as a function of monotonic ticks: <see cref="StartOffset"/> up to
    /// <see cref="StartTicks"/>, then moving towards <see cref="TargetOffset"/> at <see cref="MaxSlewPpm"/> and staying there.
    /// A step is an anchor whose start and target are equal.
    /// </summary>
    private sealed record Anchor(long StartTicks, long StartOffset, long TargetOffset, ClockSource Source)
    {
        public long OffsetAt(long ticks)
        {
            if (ticks <= StartTicks || StartOffset == TargetOffset) return StartOffset;
            long progress = (ticks - StartTicks) / SlewDivisor;
            long remaining = TargetOffset - StartOffset;
            if (Math.Abs(remaining) <= progress) return TargetOffset;
            return remaining > 0 ? StartOffset + progress : StartOffset - progress;
        }
    }
}
