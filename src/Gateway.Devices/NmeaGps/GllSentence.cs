using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GLL, geographic position (NMEA 0183 v4.11 §6.3 GLL). Fields: 1-2 latitude, 3-4 longitude, 5 time, 6 status
/// (A valid, V invalid), 7 mode indicator (2.3+; N = no fix).
/// </summary>
internal readonly record struct GllSentence(double? Latitude, double? Longitude, TimeSpan? Time, bool Valid, byte ModeIndicator)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GllSentence gll)
    {
        gll = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GLL"u8)) return false;
        if (!NmeaParse.Coordinate(sentence.Field(1), sentence.Field(2), longitude: false, out var lat)
            || !NmeaParse.Coordinate(sentence.Field(3), sentence.Field(4), longitude: true, out var lon)
            || !NmeaParse.Time(sentence.Field(5), out var time)
            || !NmeaParse.Char(sentence.Field(6), out var status)
            || !NmeaParse.Char(sentence.Field(7), out var mode))
        {
            return false;
        }
        gll = new GllSentence(lat, lon, time, status == (byte)'A', mode);
        return true;
    }

    public bool HasFix => Valid && Latitude is not null && Longitude is not null && ModeIndicator != (byte)'N';
}
