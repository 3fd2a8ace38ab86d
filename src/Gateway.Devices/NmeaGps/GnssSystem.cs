namespace Gateway.Devices.NmeaGps;

/// <summary>A satellite constellation, as NMEA 0183 v4.11 names them by talker id and by GSA/GSV system id (Table 20).</summary>
public enum GnssSystem : byte
{
    /// <summary>Not said: a GN talker with no system id and a PRN outside every known range.</summary>
    Unknown = 0,

    /// <summary>US GPS (talker GP, system id 1, PRN 1-32).</summary>
    Gps = 1,

    /// <summary>Russian GLONASS (GL, id 2, PRN 65-96).</summary>
    Glonass = 2,

    /// <summary>European Galileo (GA, id 3).</summary>
    Galileo = 3,

    /// <summary>Chinese BeiDou (GB or BD, id 4).</summary>
    BeiDou = 4,

    /// <summary>Japanese QZSS (GQ or QZ, id 5), which augments GPS over Asia-Pacific.</summary>
    Qzss = 5,

    /// <summary>Indian NavIC, formerly IRNSS (GI or IN, id 6).</summary>
    NavIC = 6,

    /// <summary>SBAS correction satellites (WAAS, EGNOS, MSAS; PRN 33-64), known only by PRN range: NMEA gives them no talker.</summary>
    Sbas = 7,
}

/// <summary>Maps talkers, system ids and PRN ranges to <see cref="GnssSystem"/>.</summary>
public static class GnssSystems
{
    /// <summary>
    /// GP GPS, GL GLONASS, GA Galileo, GB/BD BeiDou, GQ/QZ QZSS, GI/IN NavIC (IRNSS); GN (multi-constellation) and
    /// anything else is <see cref="GnssSystem.Unknown"/>: the system then comes from the system id or the PRN.
    /// </summary>
    public static GnssSystem FromTalker(ReadOnlySpan<byte> talker)
    {
        if (talker.Length != 2) return GnssSystem.Unknown;
        return (talker[0], talker[1]) switch
        {
            ((byte)'G', (byte)'P') => GnssSystem.Gps,
            ((byte)'G', (byte)'L') => GnssSystem.Glonass,
            ((byte)'G', (byte)'A') => GnssSystem.Galileo,
            ((byte)'G', (byte)'B') or ((byte)'B', (byte)'D') => GnssSystem.BeiDou,
            ((byte)'G', (byte)'Q') or ((byte)'Q', (byte)'Z') => GnssSystem.Qzss,
            ((byte)'G', (byte)'I') or ((byte)'I', (byte)'N') => GnssSystem.NavIC,
            _ => GnssSystem.Unknown,
        };
    }

    /// <summary>NMEA 0183 v4.11 system id (GSA field 18, GSV last field): 1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC.</summary>
    public static GnssSystem FromSystemId(int id) => id is >= 1 and <= 6 ? (GnssSystem)id : GnssSystem.Unknown;

    /// <summary>
    /// The constellation of a satellite number in NMEA's classic numbering (used by GN talkers and by many GP-only
    /// receivers): 1-32 GPS, 33-64 SBAS, 65-96 GLONASS, 193-202 QZSS, 201-237 or 401-437 BeiDou, 301-336 Galileo
    /// (u-blox and gpsd's extended ranges).
    /// </summary>
    public static GnssSystem FromPrn(int prn) => prn switch
    {
        >= 1 and <= 32 => GnssSystem.Gps,
        >= 33 and <= 64 => GnssSystem.Sbas,
        >= 65 and <= 96 => GnssSystem.Glonass,
        >= 193 and <= 200 => GnssSystem.Qzss,
        >= 201 and <= 237 => GnssSystem.BeiDou,
        >= 301 and <= 336 => GnssSystem.Galileo,
        >= 401 and <= 437 => GnssSystem.BeiDou,
        _ => GnssSystem.Unknown,
    };

    /// <summary>The system of a satellite in a sentence: the talker when it names one, else the system id, else the PRN range.</summary>
    public static GnssSystem Resolve(GnssSystem talker, int systemId, int prn)
    {
        if (talker != GnssSystem.Unknown) return talker;
        var fromId = FromSystemId(systemId);
        return fromId != GnssSystem.Unknown ? fromId : FromPrn(prn);
    }

    /// <summary>Lower-case name for JSON output.</summary>
    public static string Name(GnssSystem system) => system switch
    {
        GnssSystem.Gps => "gps",
        GnssSystem.Glonass => "glonass",
        GnssSystem.Galileo => "galileo",
        GnssSystem.BeiDou => "beidou",
        GnssSystem.Qzss => "qzss",
        GnssSystem.NavIC => "navic",
        GnssSystem.Sbas => "sbas",
        _ => "unknown",
    };
}
