namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GSA, DOP and active satellites (NMEA 0183 v4.11 §6.3 GSA). Fields: 1 selection mode (M/A), 2 fix mode
/// (1 none, 2 2D, 3 3D), 3-14 satellite ids, 15 PDOP, 16 HDOP, 17 VDOP, 18 system id (4.1+).
/// </summary>
public readonly record struct GsaSentence(int Mode, int SatellitesUsed, double? Pdop, double? Hdop, double? Vdop)
{
    public static bool TryParse(NmeaSentence sentence, out GsaSentence gsa)
    {
        gsa = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GSA"u8)) return false;
        if (!NmeaParse.Int(sentence.Field(2), out var mode) || mode is not (>= 1 and <= 3)
            || !NmeaParse.Double(sentence.Field(15), out var pdop)
            || !NmeaParse.Double(sentence.Field(16), out var hdop)
            || !NmeaParse.Double(sentence.Field(17), out var vdop))
        {
            return false;
        }
        var used = 0;
        for (var i = 3; i <= 14; i++)
            if (!sentence.Field(i).IsEmpty) used++;
        gsa = new GsaSentence(mode!.Value, used, pdop, hdop, vdop);
        return true;
    }
}
