namespace Gateway.Devices.NmeaGps;

/// <summary>
/// The fix status in gpsd's TPV vocabulary (gps.h <c>STATUS_*</c>): 0 unknown/no fix, 1 GPS, 2 DGPS, 3 RTK fixed,
/// 4 RTK float, 5 dead reckoning, 6 GNSS + dead reckoning, 7 time only (surveyed/manual), 8 simulated.
/// </summary>
internal static class NmeaStatus
{
    public const int Unknown = 0, Gps = 1, Dgps = 2, RtkFixed = 3, RtkFloat = 4, DeadReckoning = 5, GnssDeadReckoning = 6, Time = 7, Simulated = 8;

    /// <summary>GGA fix quality (NMEA 0183 v4.11 §6.3 GGA field 6) to status.</summary>
    public static int FromGgaQuality(int quality) => quality switch
    {
        0 => Unknown,
        1 or 3 => Gps, // 3 is "PPS fix": a plain GPS fix as far as position goes
        2 => Dgps,
        4 => RtkFixed,
        5 => RtkFloat,
        6 => DeadReckoning,
        7 => Time,
        8 => Simulated,
        _ => Gps,
    };

    /// <summary>FAA mode indicator (RMC field 12, GLL field 7, VTG field 9, GNS field 6) to status; 0 for N or unknown.</summary>
    public static int FromModeIndicator(byte mode) => mode switch
    {
        (byte)'A' or (byte)'P' => Gps,
        (byte)'D' => Dgps,
        (byte)'R' => RtkFixed,
        (byte)'F' => RtkFloat,
        (byte)'E' => DeadReckoning,
        (byte)'M' => Time,
        (byte)'S' => Simulated,
        _ => Unknown,
    };
}
