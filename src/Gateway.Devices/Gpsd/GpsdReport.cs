namespace Gateway.Devices.Gpsd;

/// <summary>The classes of gpsd's JSON reports (gpsd_json(5)) that the gateway reads; the rest are <see cref="Other"/>.</summary>
internal enum GpsdClass
{
    Other,
    Version,
    Devices,
    Device,
    Watch,
    Tpv,
    Sky,
    Pps,
    Toff,
    Error,
}

/// <summary>
/// One gpsd JSON report, as far as the gateway uses it; a member the report did not carry is null (gpsd omits what
/// it does not know, and so do we: nothing is carried over from an earlier report).
/// </summary>
/// <remarks>
/// TPV: <see cref="Time"/>, <see cref="Mode"/> (0 unknown, 1 no fix, 2 2D, 3 3D), <see cref="Status"/>, position,
/// <see cref="AltitudeMsl"/> (<c>altMSL</c>, else the older <c>alt</c>), <see cref="Speed"/> (m/s),
/// <see cref="Track"/> (degrees true), <see cref="Climb"/>, <see cref="Eph"/>/<see cref="Epv"/>.
/// SKY: <see cref="Hdop"/>, <see cref="Pdop"/>, <see cref="Vdop"/>, <see cref="SatellitesUsed"/> (<c>uSat</c>, else
/// the satellites marked used), <see cref="SatellitesSeen"/> (<c>nSat</c>, else the array's length).
/// PPS and TOFF: <see cref="RealTime"/> (the true time of the edge or of the fix) and <see cref="ClockTime"/> (what
/// the system clock of gpsd's host read at that moment).
/// </remarks>
internal readonly record struct GpsdReport
{
    public GpsdClass Class { get; init; }
    public DateTimeOffset? Time { get; init; }
    public int? Mode { get; init; }
    public int? Status { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public double? AltitudeMsl { get; init; }
    public double? Speed { get; init; }
    public double? Track { get; init; }
    public double? Climb { get; init; }
    public double? Eph { get; init; }
    public double? Epv { get; init; }
    public double? Hdop { get; init; }
    public double? Pdop { get; init; }
    public double? Vdop { get; init; }
    public int? SatellitesUsed { get; init; }
    public int? SatellitesSeen { get; init; }
    public DateTimeOffset? RealTime { get; init; }
    public DateTimeOffset? ClockTime { get; init; }

    /// <summary>A TPV with a 2D or 3D fix and a position.</summary>
    public bool HasFix => Class == GpsdClass.Tpv && Mode >= 2 && Latitude is not null && Longitude is not null;
}
