using System.Runtime.CompilerServices;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// One receiver cycle merged into a fix, in gpsd's TPV/SKY terms. Mode: 1 no fix, 2 2D, 3 3D; status as
/// <see cref="NmeaStatus"/>. <see cref="UtcTime"/> needs a date (RMC, ZDA, or an earlier cycle's);
/// <see cref="MonotonicTimestamp"/> is when the cycle's first sentence arrived (<see cref="TimeProvider.GetTimestamp"/>).
/// Values the receiver did not send are null.
/// </summary>
public readonly record struct NmeaFix
{
    /// <summary>UTC time of day of the cycle as the receiver stamped it (hhmmss.ss), whether or not a date is known.</summary>
    public TimeSpan TimeOfDay { get; init; }

    /// <summary>
    /// Date and time in UTC, once a date is known (RMC, ZDA or an earlier cycle's), with gpsd's century and GPS
    /// week-rollover correction; null before, since a time of day alone cannot stamp a reading.
    /// </summary>
    public DateTimeOffset? UtcTime { get; init; }

    /// <summary>gpsd's fix mode: 0 unknown, 1 no fix, 2 2D (no altitude), 3 3D.</summary>
    public int Mode { get; init; }

    /// <summary>
    /// gpsd's TPV status (gps.h <c>STATUS_*</c>): 0 no fix, 1 GPS, 2 DGPS, 3 RTK fixed, 4 RTK float, 5 dead reckoning,
    /// 6 GNSS + dead reckoning, 7 time only, 8 simulated; from GGA's quality or the FAA mode indicator.
    /// </summary>
    public int Status { get; init; }

    /// <summary>Degrees north of the equator (south negative), WGS-84; null without a fix.</summary>
    public double? Latitude { get; init; }

    /// <summary>Degrees east of Greenwich (west negative), WGS-84; null without a fix.</summary>
    public double? Longitude { get; init; }

    /// <summary>Metres above mean sea level (GGA/GNS field 9); only for a 3D fix.</summary>
    public double? AltitudeMsl { get; init; }

    /// <summary>Geoid separation (GGA field 11), metres from the WGS-84 ellipsoid up to mean sea level.</summary>
    public double? GeoidSeparation { get; init; }

    /// <summary>Speed over ground in m/s (RMC knots or VTG km/h converted).</summary>
    public double? SpeedMetersPerSecond { get; init; }

    /// <summary>Course over ground, degrees true.</summary>
    public double? CourseDegrees { get; init; }

    /// <summary>
    /// Horizontal dilution of precision: how much the satellites' geometry magnifies ranging error into position error
    /// (1 ideal, above 5 poor). From GSA, else GGA/GNS.
    /// </summary>
    public double? Hdop { get; init; }

    /// <summary>Position (3D) dilution of precision, from GSA.</summary>
    public double? Pdop { get; init; }

    /// <summary>Vertical dilution of precision, from GSA; usually larger than HDOP, since all satellites are above the antenna.</summary>
    public double? Vdop { get; init; }

    /// <summary>Satellites used: the GSA satellite lists of the cycle, else GGA/GNS's count.</summary>
    public int? Satellites { get; init; }

    /// <summary>Satellites in view, from the latest complete GSV groups; null when the receiver sends no GSV.</summary>
    public int? SatellitesSeen { get; init; }

    /// <summary>Satellites used per constellation, indexed by <see cref="GnssSystem"/>.</summary>
    internal SatelliteCounts UsedBySystem { get; init; }

    /// <summary>Satellites in view per constellation, indexed by <see cref="GnssSystem"/>.</summary>
    internal SatelliteCounts SeenBySystem { get; init; }

    /// <summary>GST error statistics of the cycle, when the receiver sends GST.</summary>
    internal GstSentence? Errors { get; init; }

    /// <summary>
    /// Derived by <see cref="NmeaErrorModel"/> the way gpsd derives it (never copied from an older cycle): metres per
    /// second of altitude change since the previous cycle's 3D fix.
    /// </summary>
    public double? ClimbMetersPerSecond { get; init; }

    /// <summary>Magnetic variation from RMC, degrees, east positive; null when the receiver sent none (or 0).</summary>
    public double? MagneticVariation { get; init; }

    /// <summary>Course over ground, degrees magnetic: the true course plus the cycle's variation (gpsd's formula).</summary>
    public double? MagneticTrackDegrees { get; init; }

    /// <summary>gpsd's error estimates (metres, 95%): see <see cref="NmeaErrors"/>.</summary>
    internal NmeaErrors Estimates { get; init; }

    /// <summary>
    /// When the cycle's first sentence arrived, in <see cref="TimeProvider.GetTimestamp"/> units: the capture time of the
    /// reading, and what the clock discipline pairs with <see cref="UtcTime"/>.
    /// </summary>
    public long MonotonicTimestamp { get; init; }

    /// <summary>A 2D or 3D fix with a position.</summary>
    public bool HasFix => Mode >= 2 && Latitude is not null && Longitude is not null;
}

/// <summary>
/// gpsd's error estimates (<c>gpsd_error_model()</c>), each null when its inputs are absent: <see cref="Ept"/> time (s),
/// <see cref="Eph"/> horizontal, <see cref="Epv"/> vertical, <see cref="Sep"/> spherical, <see cref="Epx"/>/<see
/// cref="Epy"/> longitude/latitude (metres, DOP times gpsd's UERE), <see cref="Eps"/> speed (m/s), <see cref="Epd"/>
/// track (degrees).
/// </summary>
internal readonly record struct NmeaErrors(
    double? Ept, double? Eph, double? Epv, double? Sep, double? Epx, double? Epy, double? Eps, double? Epd);

/// <summary>A count per <see cref="GnssSystem"/> (index = the enum's value), inline.</summary>
[InlineArray(8)]
internal struct SatelliteCounts
{
    private byte _element0;
}

/// <summary>A GPS time reading for the clock discipline: the fix's UTC and the monotonic time it arrived at.</summary>
public readonly record struct NmeaTimeFix(DateTimeOffset Utc, long MonotonicTimestamp);

/// <summary>One satellite of the sky view: identity, position in the sky, signal, and whether the fix uses it.</summary>
public readonly record struct NmeaSatellite(GnssSystem System, short Prn, sbyte? Elevation, short? Azimuth, sbyte? Snr, bool Used);
