using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// VTG, course over ground and ground speed (NMEA 0183 v4.11 §6.3 VTG). Fields: 1 course true, 2 T, 3 course
/// magnetic, 4 M, 5 speed knots, 6 N, 7 speed km/h, 8 K, 9 mode indicator (2.3+). Before NMEA 2.0 the unit letters
/// were absent: 1 course true, 2 course magnetic, 3 knots, 4 km/h (gpsd accepts both, so do we).
/// </summary>
internal readonly record struct VtgSentence(double? CourseDegrees, double? SpeedMetersPerSecond, byte ModeIndicator)
{
    /// <summary>Course over ground, degrees magnetic (field 3; 2 before NMEA 2.0).</summary>
    public double? MagneticCourseDegrees { get; init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out VtgSentence vtg)
    {
        vtg = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("VTG"u8)) return false;
        var modern = sentence.Field(2).SequenceEqual("T"u8) || sentence.FieldCount >= 8;
        var knotsField = modern ? 5 : 3;
        var kmhField = modern ? 7 : 4;
        if (!NmeaParse.Double(sentence.Field(1), out var course)
            || !NmeaParse.Double(sentence.Field(knotsField), out var knots)
            || !NmeaParse.Double(sentence.Field(kmhField), out var kmh)
            || !NmeaParse.Char(sentence.Field(9), out var mode))
        {
            return false;
        }
        // Knots first: it is what RMC reports too, so the two agree to the digit.
        var speed = knots * RmcSentence.MetersPerSecondPerKnot ?? kmh / 3.6;
        // An unreadable magnetic course is dropped, not the sentence.
        if (!NmeaParse.Double(sentence.Field(modern ? 3 : 2), out var magnetic)) magnetic = null;
        vtg = new VtgSentence(course, speed, modern ? mode : (byte)0) { MagneticCourseDegrees = magnetic };
        return true;
    }

    /// <summary>Mode N (no fix) makes the course and speed meaningless.</summary>
    public bool Valid => ModeIndicator != (byte)'N';
}
