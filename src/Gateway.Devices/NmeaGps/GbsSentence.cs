using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GBS, GNSS satellite fault detection (NMEA 0183 v4.11 §6.3 GBS): the receiver's own expected errors of the fix it
/// just reported. Fields: 1 time of that fix, 2-4 expected error in latitude, longitude and altitude (m, 1 sigma),
/// 5 PRN of the most likely failed satellite, 6 its probability of missed detection, 7-8 bias estimate and its
/// standard deviation. Only the time and the three errors are kept: gpsd (<c>processGBS()</c>) takes them as the fix's
/// epy, epx and epv.
/// </summary>
internal readonly record struct GbsSentence(TimeSpan? Time, double? LatitudeError, double? LongitudeError, double? AltitudeError)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GbsSentence gbs)
    {
        gbs = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GBS"u8)) return false;
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Double(sentence.Field(2), out var lat)
            || !NmeaParse.Double(sentence.Field(3), out var lon)
            || !NmeaParse.Double(sentence.Field(4), out var alt))
        {
            return false;
        }
        gbs = new GbsSentence(time, lat, lon, alt);
        return true;
    }
}
