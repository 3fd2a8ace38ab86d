using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GST, pseudorange error statistics (NMEA 0183 v4.11 §6.3 GST). Fields: 1 time, 2 RMS of the pseudorange residuals,
/// 3-4 semi-major and semi-minor axes of the error ellipse (m, 1 sigma), 5 orientation of the semi-major axis (deg
/// true), 6-8 standard deviations of latitude, longitude and altitude error (m).
/// </summary>
internal readonly record struct GstSentence(
    TimeSpan? Time, double? Rms, double? Major, double? Minor, double? Orientation,
    double? LatitudeError, double? LongitudeError, double? AltitudeError)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GstSentence gst)
    {
        gst = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GST"u8)) return false;
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Double(sentence.Field(2), out var rms)
            || !NmeaParse.Double(sentence.Field(3), out var major)
            || !NmeaParse.Double(sentence.Field(4), out var minor)
            || !NmeaParse.Double(sentence.Field(5), out var orient)
            || !NmeaParse.Double(sentence.Field(6), out var lat)
            || !NmeaParse.Double(sentence.Field(7), out var lon)
            || !NmeaParse.Double(sentence.Field(8), out var alt))
        {
            return false;
        }
        gst = new GstSentence(time, rms, major, minor, orient, lat, lon, alt);
        return true;
    }
}
