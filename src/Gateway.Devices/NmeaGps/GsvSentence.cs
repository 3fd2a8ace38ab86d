using System.Runtime.CompilerServices;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// GSV, satellites in view (NMEA 0183 v4.11 §6.3 GSV). Fields: 1 number of sentences in the group, 2 this sentence's
/// number, 3 satellites in view, then up to four blocks of satellite id, elevation (deg), azimuth (deg true) and SNR
/// (dB-Hz, empty when not tracked), then a signal id (4.1+; present when the field count leaves one over).
/// </summary>
internal readonly record struct GsvSentence(int Count, int Number, int InView, int SatelliteCount)
{
    /// <summary>The talker's constellation (Unknown for GN: then the satellite numbers say).</summary>
    public GnssSystem System { get; init; }

    public GsvSatellites Satellites { get; init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(NmeaSentence sentence, out GsvSentence gsv)
    {
        gsv = default;
        if (sentence.IsProprietary || !sentence.Type.SequenceEqual("GSV"u8)) return false;
        if (!NmeaParse.Int(sentence.Field(1), out var count) || count is not (>= 1 and <= 99)
            || !NmeaParse.Int(sentence.Field(2), out var number) || number is not (>= 1 and <= 99) || number > count
            || !NmeaParse.Int(sentence.Field(3), out var inView) || inView is < 0)
        {
            return false;
        }
        var satellites = default(GsvSatellites);
        var n = 0;
        var blocks = Math.Min(4, (sentence.FieldCount - 3) / 4);
        for (var b = 0; b < blocks; b++)
        {
            var f = 4 + (b * 4);
            if (!NmeaParse.Int(sentence.Field(f), out var prn)
                || !NmeaParse.Int(sentence.Field(f + 1), out var elevation)
                || !NmeaParse.Int(sentence.Field(f + 2), out var azimuth)
                || !NmeaParse.Int(sentence.Field(f + 3), out var snr))
            {
                return false;
            }
            if (prn is not { } p || p <= 0 || p > short.MaxValue) continue; // an empty block pads the last sentence
            if (elevation is < -90 or > 90 || azimuth is < 0 or > 359 || snr is < 0 or > 99) return false;
            satellites[n++] = new GsvSatellite((short)p, (sbyte?)elevation, (short?)azimuth, (sbyte?)snr);
        }
        gsv = new GsvSentence(count.Value, number.Value, inView ?? n, n)
        {
            System = GnssSystems.FromTalker(sentence.Talker),
            Satellites = satellites,
        };
        return true;
    }
}

/// <summary>One satellite block of a GSV: id, elevation and azimuth in degrees, SNR in dB-Hz (null when not tracked).</summary>
internal readonly record struct GsvSatellite(short Prn, sbyte? Elevation, short? Azimuth, sbyte? Snr);

/// <summary>The up to four satellite blocks of one GSV, inline.</summary>
[InlineArray(4)]
internal struct GsvSatellites
{
    private GsvSatellite _element0;
}
