using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// The post-processing gpsd applies to every fix (<c>gpsd_error_model()</c> in gpsd's libgpsd_core.c): values the cycle
/// did not report are derived where gpsd derives them and absent otherwise, never carried over from an older cycle.
/// Speed from the distance to the previous cycle's position over the time between them (when neither RMC nor VTG gave
/// one); climb from the altitude change between two 3D fixes; magnetic track as true track plus the RMC variation;
/// (when VTG gave none) time error 0.005 s; position errors as DOP times gpsd's user equivalent range errors; speed and track errors from
/// this and the previous cycle's position errors; the receiver's GBS errors, when the cycle sent GBS, instead of the
/// DOP-based position errors. Not thread-safe: the assembler's reader owns it.
/// </summary>
/// <remarks>
/// What gpsd computes from models we do not carry is left out, deliberately: a magnetic variation from its world
/// magnetic table when the receiver sends none, and a geoid separation from its geoid table (so climb uses the
/// receiver's separation, or the MSL altitudes when there is none: at a fixed place both give the same change).
/// </remarks>
internal sealed class NmeaErrorModel(NmeaStatistics? statistics)
{
    // gpsd's UERE constants (metres, 95% confidence), with and without DGPS, as in gpsd_error_model().
    private const double HorizontalUere = 15.0, HorizontalUereDgps = 3.75;
    private const double VerticalUere = 23.0, VerticalUereDgps = 5.75;
    private const double PositionUere = 19.0, PositionUereDgps = 4.75;

    /// <summary>gpsd's expected time error: half the resolution of a receiver clock, a constant in gpsd.</summary>
    private const double TimeError = 0.005;

    /// <summary>gpsd's sanity limit for speed and climb (m/s): beyond low Earth orbit (7,800 m/s), so garbage.</summary>
    private const double SanityLimit = 9999.9;

    /// <summary>
    /// Faster than any receiver reports on the ground or in a civil aircraft (u-blox ZED-F9P: 500 m/s): a position that
    /// moved faster than this since the previous fix is a jump (a glitch or a receiver that lost its fix), counted once
    /// per fix and given no derived speed.
    /// </summary>
    private const double JumpSpeed = 600;

    /// <summary>gpsd ignores variations of 0.09 degrees or less: some receivers send 0.0,E for "unknown".</summary>
    private const double MinVariation = 0.09;

    private NmeaFix? _previous;

    /// <summary>Position jumps seen (see <see cref="JumpSpeed"/>).</summary>
    public long Jumps { get; private set; }

    /// <summary>Raised once per jump, with the distance (m) and the seconds between the two fixes.</summary>
    public event Action<double, double>? JumpDetected;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public NmeaFix Apply(in NmeaFix fix, ReadOnlySpan<NmeaSatellite> sky, in GbsSentence? expected, in PsrfepeSentence? receiver = null)
    {
        if (fix.UtcTime is null) return fix; // gpsd models nothing without a time (fix->time.tv_sec > 0)
        var dgps = fix.Status == NmeaStatus.Dgps;
        double? speed = fix.SpeedMetersPerSecond, climb = null, magneticTrack = fix.MagneticTrackDegrees, variation = null;
        double? eph = null, epv = null, sep = null, epx = null, epy = null, eps = null, epd = null;
        var old = _previous;
        var dt = old is { UtcTime: { } then } ? (fix.UtcTime.Value - then).TotalSeconds : -1;
        if (fix.MagneticVariation is { } v && Math.Abs(v) > MinVariation && Math.Abs(v) <= 180) variation = v;
        if (magneticTrack is null && variation is { } mv && fix.CourseDegrees is { } track) magneticTrack = Normalize(track + mv);
        if (fix.HasFix)
        {
            var dops = NmeaDops.FromSky(sky);
            var hdop = fix.Hdop ?? dops.Hdop;
            var vdop = fix.Vdop ?? dops.Vdop;
            var pdop = fix.Pdop ?? dops.Pdop;
            // GBS's expected errors are the receiver's own estimates of this fix: gpsd takes them instead of DOP times
            // UERE (processGBS() in driver_nmea0183.c). GST's deviations it only reports as GST, never as epx/epy/epv
            // (processGST() fills gpsdata.gst alone), and neither do we.
            epx = expected?.LongitudeError ?? dops.Xdop * (dgps ? HorizontalUereDgps : HorizontalUere);
            epy = expected?.LatitudeError ?? dops.Ydop * (dgps ? HorizontalUereDgps : HorizontalUere);
            if (fix.Mode >= 3) epv = expected?.AltitudeError ?? vdop * (dgps ? VerticalUereDgps : VerticalUere);
            eph = hdop * (dgps ? PositionUereDgps : PositionUere);
            sep = pdop * (dgps ? PositionUereDgps : PositionUere);
            // SiRF's PSRFEPE: the receiver's own horizontal and vertical errors replace the DOP estimates (gpsd keeps a
            // value the receiver set: `if (0 == isfinite(fix->eph))` in gpsd_error_model()).
            if (receiver?.HorizontalError is { } ehpe) eph = ehpe;
            if (receiver?.VerticalError is { } evpe) epv = evpe;
            if (dt > 0 && old is { HasFix: true } o)
            {
                var distance = Geodesy.Distance(o.Latitude!.Value, o.Longitude!.Value, fix.Latitude!.Value, fix.Longitude!.Value);
                var moved = distance / dt;
                if (moved > JumpSpeed) CountJump(distance, dt);
                else if (speed is null && moved <= SanityLimit) speed = moved;
                if (fix.Mode >= 3 && o.Mode >= 3 && Hae(fix) is { } hae && Hae(o) is { } oldHae)
                {
                    var c = (hae - oldHae) / dt;
                    if (Math.Abs(c) <= SanityLimit) climb = c;
                }
                var oldError = Max(o.Estimates.Epx, o.Estimates.Epy);
                var error = Max(epx, epy);
                if (oldError is { } oe && error is { } e) eps = (oe + e) / dt;
                if (error is { } opp && distance > opp)
                {
                    var hyp = Math.Sqrt((distance * distance) + (opp * opp));
                    epd = 2 * Math.Asin(opp / hyp) * (180 / Math.PI);
                }
            }
        }
        // The receiver's speed and heading errors (PSRFEPE EHVE, EHE), when it sent them, are this cycle's own.
        if (fix.HasFix && receiver?.SpeedError is { } ehve) eps = ehve;
        if (fix.HasFix && receiver?.HeadingError is { } ehe) epd = ehe;
        var result = fix with
        {
            SpeedMetersPerSecond = fix.HasFix ? speed : null,
            ClimbMetersPerSecond = climb,
            MagneticVariation = variation,
            MagneticTrackDegrees = magneticTrack,
            Estimates = new NmeaErrors(TimeError, eph, epv, sep, epx, epy, eps, epd),
        };
        _previous = result;
        return result;
    }

    /// <summary>Height above the ellipsoid when the receiver gave the geoid separation; else MSL (same change in place).</summary>
    private static double? Hae(in NmeaFix fix) => fix.AltitudeMsl + (fix.GeoidSeparation ?? 0);

    /// <summary>gpsd's EMAX: a NaN (absent) operand makes the result absent.</summary>
    private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : null;

    /// <summary>gpsd's DEG_NORM: one turn added or removed, into [0, 360).</summary>
    private static double Normalize(double degrees) => degrees < 0 ? degrees + 360 : degrees >= 360 ? degrees - 360 : degrees;

    private void CountJump(double distance, double seconds)
    {
        Jumps++;
        statistics?.CountJump();
        JumpDetected?.Invoke(distance, seconds);
    }
}
