using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// SiRF's proprietary <c>$PSRFEPE</c>, the receiver's own error estimates (SiRF NMEA Reference Manual, "PSRFEPE";
/// decoded as gpsd's <c>processPSRFEPE()</c>). Fields: 1 time, 2 status (A valid, V not), 3 HDOP, 4 EHPE horizontal
/// position error (m), 5 EVPE vertical position error (m), 6 EHVE horizontal speed error (m/s), 7 EHE heading error
/// (degrees). Like GST's deviations, these are the receiver's own figures: the error model takes them as they are
/// instead of estimating from DOPs (beidou-bd.log, a SiRF-TriG).
/// </summary>
internal readonly record struct PsrfepeSentence(
    TimeSpan? Time, bool Valid, double? Hdop, double? HorizontalError, double? VerticalError, double? SpeedError, double? HeadingError)
{
    /// <summary>Decodes a PSRFEPE sentence; false when it is not PSRFEPE or a present field is invalid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out PsrfepeSentence epe)
    {
        epe = default;
        if (!sentence.Address.SequenceEqual("PSRFEPE"u8)) return false;
        if (!NmeaParse.Time(sentence.Field(1), out var time)
            || !NmeaParse.Double(sentence.Field(3), out var hdop)
            || !NmeaParse.Double(sentence.Field(4), out var ehpe)
            || !NmeaParse.Double(sentence.Field(5), out var evpe)
            || !NmeaParse.Double(sentence.Field(6), out var ehve)
            || !NmeaParse.Double(sentence.Field(7), out var ehe))
        {
            return false;
        }
        var valid = sentence.Field(2).SequenceEqual("A"u8);
        epe = new PsrfepeSentence(time, valid, hdop, ehpe, evpe, ehve, ehe);
        return true;
    }
}
