using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// RMC, recommended minimum specific GNSS data (NMEA 0183 v4.11 §6.3 RMC), from any talker. Fields: 1 time,
/// 2 status (A valid, V warning), 3-4 latitude, 5-6 longitude, 7 speed over ground (knots), 8 course over ground
/// (degrees true), 9 date ddmmyy, 10-11 magnetic variation, 12 mode indicator (2.3+; N = no fix), 13 nav status (4.1+).
/// </summary>
internal readonly record struct RmcSentence(
    TimeSpan? Time, bool Valid, double? Latitude, double? Longitude, double? SpeedMetersPerSecond, double? CourseDegrees,
    DateOnly? Date, byte ModeIndicator)
{
    /// <summary>The date field as sent (two-digit year), for <see cref="NmeaDateResolver"/>.</summary>
    public NmeaDateParts? DateParts { get; init; }

    /// <summary>Magnetic variation (fields 10-11), degrees, east positive (gpsd's sign: W is negative).</summary>
    public double? MagneticVariation { get; init; }

    /// <summary>One international knot is exactly 1852 m per hour.</summary>
    public const double MetersPerSecondPerKnot = 1852.0 / 3600;

    /// <summary>Two-digit years as 1980..2079: GPS time starts in 1980.</summary>
    private static readonly NmeaDateResolver FixedWindow = new(new DateOnly(2029, 1, 1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out RmcSentence rmc)
    {
        rmc = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("RMC"u8)) return false;
        var status = sentence.Field(2);
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || status.Length > 1
            || !NmeaParse.Coordinate(sentence.Field(3), sentence.Field(4), longitude: false, out var lat)
            || !NmeaParse.Coordinate(sentence.Field(5), sentence.Field(6), longitude: true, out var lon)
            || !NmeaParse.Double(sentence.Field(7), out var knots)
            || !NmeaParse.Double(sentence.Field(8), out var course)
            || !NmeaParse.DateParts(sentence.Field(9), out var parts))
        {
            return false;
        }
        var mode = sentence.Field(12);
        // An unreadable variation is dropped, not the sentence: it only feeds the magnetic track.
        if (!NmeaParse.Double(sentence.Field(10), out var variation)) variation = null;
        // Date: the fixed 1980-2079 window here; the assembler re-resolves the parts against its reference date.
        DateOnly? date = parts is { } p ? FixedWindow.Resolve(p) : null;
        if (parts is not null && date is null) return false; // 31 February
        rmc = new RmcSentence(time, status.SequenceEqual("A"u8), lat, lon, knots * MetersPerSecondPerKnot, course, date,
            mode.Length == 1 ? mode[0] : (byte)0)
        {
            DateParts = parts,
            MagneticVariation = sentence.Field(11).SequenceEqual("W"u8) ? -variation : variation,
        };
        return true;
    }

    /// <summary>Status A with a position and a mode indicator other than N (no fix).</summary>
    public bool HasFix => Valid && Latitude is not null && Longitude is not null && ModeIndicator != (byte)'N';

    /// <summary>The fix time as UTC when both time and date are present.</summary>
    public DateTimeOffset? UtcTime =>
        Time is { } t && Date is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + t : null;
}
