namespace Gateway.Telemetry.Time;

/// <summary>How a <see cref="ClockDiscipline"/> chooses between sources and applies corrections.</summary>
public sealed class ClockDisciplineOptions
{
    /// <summary>Which sources are accepted (the profile's <c>time.source</c>).</summary>
    public TimeSourcePolicy Sources { get; init; } = TimeSourcePolicy.GpsOrSystem;

    /// <summary>
    /// A correction from the current source larger than this is applied at once (a step); smaller ones are slewed at
    /// <see cref="ClockDiscipline.MaxSlewPpm"/>. NMEA time jitters by tens of milliseconds from cycle to cycle (the
    /// receiver's output latency varies), which must not make timestamps run backwards; a whole second or more is a
    /// real error (a wrong week, a leap second) that should not take hours to slew away. ntpd steps above 128 ms; we
    /// allow more because NMEA without PPS is not that precise to begin with.
    /// </summary>
    public TimeSpan StepThreshold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PPS edges arrive every second; after this long without one (receiver lost the fix, cable unplugged), GPS fixes
    /// steer the offset again.
    /// </summary>
    public TimeSpan PpsTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal bool Accepts(ClockSource source) => source switch
    {
        ClockSource.SystemClock => Sources != TimeSourcePolicy.Gps,
        ClockSource.Gps or ClockSource.GpsPps => Sources != TimeSourcePolicy.System,
        _ => false,
    };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StepThreshold, TimeSpan.Zero, nameof(StepThreshold));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PpsTimeout, TimeSpan.Zero, nameof(PpsTimeout));
    }
}

/// <summary>
/// A synchronisation that stepped the offset: the first one, a better source taking over, or a correction beyond
/// <see cref="ClockDisciplineOptions.StepThreshold"/>. <see cref="Correction"/> is how far converted timestamps moved
/// (for the first sync: how far the system clock was from the source; positive means it was behind).
/// </summary>
public readonly record struct ClockStep(ClockSource Previous, ClockSource Source, TimeSpan Correction);
