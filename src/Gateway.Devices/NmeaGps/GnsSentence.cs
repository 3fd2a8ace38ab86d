using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GNS, GNSS fix data (NMEA 0183 v4.11 §6.3 GNS), the multi-constellation GGA. Fields: 1 time, 2-3 latitude, 4-5
/// longitude, 6 mode indicator (one character per constellation: N no fix, A autonomous, D differential, P precise,
/// R RTK fixed, F RTK float, E dead reckoning, M manual, S simulator), 7 satellites used, 8 HDOP, 9 altitude MSL (m),
/// 10 geoid separation (m), 11 DGPS age, 12 station, 13 navigational status (4.1+).
/// </summary>
internal readonly record struct GnsSentence(
    TimeSpan? Time, double? Latitude, double? Longitude, int Status, int? Satellites, double? Hdop, double? AltitudeMsl)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GnsSentence gns)
    {
        gns = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GNS"u8)) return false;
        var modes = sentence.Field(6);
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Coordinate(sentence.Field(2), sentence.Field(3), longitude: false, out var lat)
            || !NmeaParse.Coordinate(sentence.Field(4), sentence.Field(5), longitude: true, out var lon)
            || !NmeaParse.Int(sentence.Field(7), out var satellites)
            || !NmeaParse.Double(sentence.Field(8), out var hdop)
            || !NmeaParse.Double(sentence.Field(9), out var altitude)
            || modes.Length > 8)
        {
            return false;
        }
        // The best mode over the constellations decides, as in gpsd: any fix beats "N".
        var status = 0;
        foreach (var m in modes) status = Math.Max(status, NmeaStatus.FromModeIndicator(m));
        gns = new GnsSentence(time, lat, lon, status, satellites, hdop, altitude);
        return true;
    }

    public bool HasFix => Status != 0 && Latitude is not null && Longitude is not null;
}
