namespace Gateway.Devices.NmeaGps;

/// <summary>
/// One receiver cycle merged into a fix. Mode: 1 no fix, 2 2D, 3 3D. <see cref="UtcTime"/> needs a date (RMC);
/// <see cref="MonotonicTimestamp"/> is when the cycle's first sentence arrived (<see cref="TimeProvider.GetTimestamp"/>).
/// Values the receiver did not send are null.
/// </summary>
public readonly record struct NmeaFix(
    TimeSpan TimeOfDay, DateTimeOffset? UtcTime, int Mode, double? Latitude, double? Longitude, double? AltitudeMsl,
    double? SpeedMetersPerSecond, double? CourseDegrees, double? Hdop, int? Satellites, long MonotonicTimestamp)
{
    /// <summary>A 2D or 3D fix with a position.</summary>
    public bool HasFix => Mode >= 2 && Latitude is not null && Longitude is not null;
}

/// <summary>A GPS time reading for the clock discipline: the fix's UTC and the monotonic time it arrived at.</summary>
public readonly record struct NmeaTimeFix(DateTimeOffset Utc, long MonotonicTimestamp);
