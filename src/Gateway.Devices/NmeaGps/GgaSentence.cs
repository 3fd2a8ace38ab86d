using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GGA, global positioning system fix data (NMEA 0183 v4.11 §6.3 GGA), from any talker. Fields:
/// 1 time, 2-3 latitude, 4-5 longitude, 6 fix quality, 7 satellites in use, 8 HDOP, 9-10 altitude MSL (M),
/// 11-12 geoid separation (M), 13 DGPS age, 14 DGPS station. Absent fields are null.
/// </summary>
internal readonly record struct GgaSentence(
    TimeSpan? Time, double? Latitude, double? Longitude, int FixQuality, int? Satellites, double? Hdop,
    double? AltitudeMsl, double? GeoidSeparation)
{
    /// <summary>Decodes a GGA sentence; false when it is not GGA or a present field is invalid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GgaSentence gga)
    {
        gga = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GGA"u8)) return false;
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Coordinate(sentence.Field(2), sentence.Field(3), longitude: false, out var lat)
            || !NmeaParse.Coordinate(sentence.Field(4), sentence.Field(5), longitude: true, out var lon)
            || !NmeaParse.Int(sentence.Field(6), out var quality)
            || !NmeaParse.Int(sentence.Field(7), out var satellites)
            || !NmeaParse.Double(sentence.Field(8), out var hdop)
            || !NmeaParse.Double(sentence.Field(9), out var altitude)
            || !NmeaParse.Double(sentence.Field(11), out var separation))
        {
            return false;
        }
        // An empty quality field (seen from some u-blox firmware) with a position means "fix of unknown kind".
        var fixQuality = quality ?? (lat is not null && lon is not null ? 1 : 0);
        gga = new GgaSentence(time, lat, lon, fixQuality, satellites, hdop, altitude, separation);
        return true;
    }

    /// <summary>Quality 0 is "fix not available"; 1 GPS, 2 DGPS, 4/5 RTK, 6 dead reckoning.</summary>
    public bool HasFix => FixQuality != 0 && Latitude is not null && Longitude is not null;
}
