namespace Gateway.Telemetry.Time;

/// <summary>
/// Where the clock discipline's current UTC offset came from, in rank order: a higher-ranked source takes over from a
/// lower one and a lower one never overrides a higher one (DESIGN §4.2: GPS outranks the system clock).
/// </summary>
public enum ClockSource : byte
{
    /// <summary>Never synchronised: conversions fall back to the system clock as it is now.</summary>
    None,

    /// <summary>The system clock, trusted because the kernel reports it NTP-synchronised (or the profile says so).</summary>
    SystemClock,

    /// <summary>A GPS fix: the RMC/ZDA time of a 2D/3D fix, anchored at the monotonic time its cycle began to arrive.</summary>
    Gps,

    /// <summary>A PPS edge from the GPS receiver, numbered by the last GPS fix: the offset to within the edge's jitter.</summary>
    GpsPps,
}

/// <summary>Whether a converted timestamp rests on a synchronisation (DESIGN §4.2).</summary>
public enum TimeQuality : byte
{
    /// <summary>Derived from a synchronised offset.</summary>
    Synced,

    /// <summary>Derived from an unsynchronised system clock; published with <c>time_quality=unsynced</c>.</summary>
    Unsynced,
}

/// <summary>Which sources may synchronise the clock: the profile's <c>time.source</c>.</summary>
public enum TimeSourcePolicy : byte
{
    /// <summary>GPS fixes (and PPS edges) only; the system clock is never trusted, however it is set.</summary>
    Gps,

    /// <summary>The system clock only (once it is synchronised); GPS fixes are ignored for time.</summary>
    System,

    /// <summary>Either: the system clock until the first GPS fix, then GPS, which the system clock never overrides.</summary>
    GpsOrSystem,
}

/// <summary>
/// The names clock sources go by outside the code: the <c>clock_source</c> self-metric (README "GPS and time"), where a
/// PPS-disciplined clock is <c>gps+pps</c> as in gpsd's and chrony's vocabulary.
/// </summary>
public static class ClockSourceNames
{
    /// <summary>The names by <see cref="ClockSource"/> value: <c>none</c>, <c>system</c>, <c>gps</c>, <c>gps+pps</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["none", "system", "gps", "gps+pps"];

    /// <summary>The source's name, e.g. <c>gps+pps</c> for <see cref="ClockSource.GpsPps"/>.</summary>
    public static string Name(this ClockSource source) => All[(int)source];
}
