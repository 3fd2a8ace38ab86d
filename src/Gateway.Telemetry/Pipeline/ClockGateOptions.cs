namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// How long readings captured before the clock's first synchronisation may wait for it (the profile's
/// <c>time.holdMaxReadings</c> and <c>time.holdMaxSeconds</c>).
/// </summary>
public sealed class ClockGateOptions
{
    /// <summary>
    /// Readings held at most; the oldest is released (unsynced) when one more arrives. 10,000 readings are about 1 MB
    /// (a reading is about 100 bytes), which a Pi Zero 2 W can spare, and hold several minutes of a busy gateway. 0
    /// disables holding: readings pass at once, flagged unsynced until the clock synchronises.
    /// </summary>
    public int MaxReadings { get; init; } = 10_000;

    /// <summary>
    /// Longest a reading waits for the sync, measured on monotonic time from its capture. Five minutes covers a GPS
    /// cold start (typically 30 s to a few minutes under open sky) and an NTP sync once a cellular link is up, and
    /// bounds the delay a gateway that never gets a sync adds to its data.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxReadings, nameof(MaxReadings));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAge, TimeSpan.Zero, nameof(MaxAge));
    }
}
