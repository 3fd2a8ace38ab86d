using System.Runtime.CompilerServices;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GSA, DOP and active satellites (NMEA 0183 v4.11 §6.3 GSA). Fields: 1 selection mode (M/A), 2 fix mode
/// (1 none, 2 2D, 3 3D), 3-14 satellite ids, 15 PDOP, 16 HDOP, 17 VDOP, 18 system id (4.1+). A multi-constellation
/// receiver sends one GSA per constellation (talker GN, told apart by the system id or the satellite numbers).
/// </summary>
internal readonly record struct GsaSentence(int Mode, int SatellitesUsed, double? Pdop, double? Hdop, double? Vdop)
{
    /// <summary>The talker's constellation, or the system id's (4.1+), or Unknown (GN without system id).</summary>
    public GnssSystem System { get; init; }

    /// <summary>The ids of the satellites used (fields 3-14), <see cref="SatellitesUsed"/> of them.</summary>
    public GsaSatellites Ids { get; init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GsaSentence gsa)
    {
        gsa = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GSA"u8)) return false;
        // Some receivers (SiRF) leave the fix mode empty before their first fix: that is "no fix", not an error.
        if (!NmeaParse.Int(sentence.Field(2), out var mode) || mode is not (null or (>= 1 and <= 3))
            || !NmeaParse.Double(sentence.Field(15), out var pdop)
            || !NmeaParse.Double(sentence.Field(16), out var hdop)
            || !NmeaParse.Double(sentence.Field(17), out var vdop)
            || !NmeaParse.Int(sentence.Field(18), out var systemId))
        {
            return false;
        }
        var ids = default(GsaSatellites);
        var used = 0;
        for (var i = 3; i <= 14; i++)
        {
            if (!NmeaParse.Int(sentence.Field(i), out var prn)) return false;
            if (prn is { } p and > 0 and <= short.MaxValue) ids[used++] = (short)p;
        }
        var talker = GnssSystems.FromTalker(sentence.Talker);
        gsa = new GsaSentence(mode ?? 1, used, pdop, hdop, vdop)
        {
            System = talker != GnssSystem.Unknown ? talker : GnssSystems.FromSystemId(systemId ?? 0),
            Ids = ids,
        };
        return true;
    }
}

/// <summary>Up to 12 satellite ids of one GSA, inline (no allocation per sentence).</summary>
[InlineArray(12)]
internal struct GsaSatellites
{
    private short _element0;
}
