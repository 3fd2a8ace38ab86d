using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

public sealed partial class NmeaEpochAssembler
{
    private readonly NmeaSkyView _sky = new();
    private readonly NmeaErrorModel _model;

    /// <summary>
    /// A DOP of 99 or more means "unknown" (the BT-451, the SL869 without a fix: 99.0, 99.99); gpsd's processGGA() and
    /// processGSA() ignore such values, and so do we, rather than publish an error estimate of 1,881 m.
    /// </summary>
    private const double InvalidDop = 99.0;

    // Each Merge applies one sentence to the open cycle; the last sentence to set a value wins (gpsd's merge).

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeGga(in GgaSentence gga)
    {
        if (!gga.HasFix)
        {
            SetNoFix();
            return;
        }
        _epoch.Status = NmeaStatus.FromGgaQuality(gga.FixQuality);
        SetPosition(gga.Latitude, gga.Longitude);
        RaiseMode(DimensionOf(gga.AltitudeMsl, gga.Satellites));
        if (gga.AltitudeMsl is { } alt) _epoch.AltitudeMsl = alt;
        if (gga.GeoidSeparation is { } sep) _epoch.GeoidSeparation = sep;
        if (gga.Hdop is { } hdop && hdop < InvalidDop) _epoch.Hdop = hdop;
        if (gga.Satellites is { } used) _epoch.SatellitesCounted = used;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeGns(in GnsSentence gns)
    {
        if (!gns.HasFix)
        {
            SetNoFix();
            return;
        }
        _epoch.Status = gns.Status;
        SetPosition(gns.Latitude, gns.Longitude);
        RaiseMode(DimensionOf(gns.AltitudeMsl, gns.Satellites));
        if (gns.AltitudeMsl is { } alt) _epoch.AltitudeMsl = alt;
        if (gns.Hdop is { } hdop) _epoch.Hdop = hdop;
        if (gns.Satellites is { } used) _epoch.SatellitesCounted = used;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeRmc(in RmcSentence rmc)
    {
        if (rmc.DateParts is { } date) _epoch.Date = date;
        if (!rmc.HasFix)
        {
            SetNoFix();
            return;
        }
        SetPosition(rmc.Latitude, rmc.Longitude);
        RaiseMode(2);
        var status = NmeaStatus.FromModeIndicator(rmc.ModeIndicator);
        if (status != NmeaStatus.Unknown && _epoch.Status <= NmeaStatus.Gps) _epoch.Status = status;
        else if (_epoch.Status == NmeaStatus.Unknown) _epoch.Status = NmeaStatus.Gps;
        if (rmc.SpeedMetersPerSecond is { } speed) _epoch.Speed = speed;
        if (rmc.CourseDegrees is { } course) _epoch.Course = course;
        if (rmc.MagneticVariation is { } variation) _epoch.MagneticVariation = variation;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeGll(in GllSentence gll)
    {
        if (!gll.HasFix)
        {
            SetNoFix();
            return;
        }
        SetPosition(gll.Latitude, gll.Longitude);
        RaiseMode(2);
        if (_epoch.Status == NmeaStatus.Unknown) _epoch.Status = NmeaStatus.Gps;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeGsa(in GsaSentence gsa)
    {
        // GSA's mode never lowers what GGA said (gpsd keeps 3D when a receiver's GSA says 2 beside a GGA altitude,
        // ch-4711.log, ublox-lea-4h.log), and its "no fix" does not erase a position another sentence gave.
        if (gsa.Mode >= 2) RaiseMode(gsa.Mode);
        else if (_epoch.Mode == 0) _epoch.Mode = 1;
        if (gsa.Pdop is { } pdop && pdop < InvalidDop) _epoch.Pdop = pdop;
        if (gsa.Hdop is { } hdop && hdop < InvalidDop) _epoch.Hdop = hdop;
        if (gsa.Vdop is { } vdop && vdop < InvalidDop) _epoch.Vdop = vdop;
        _epoch.HasGsa = true;
        for (var i = 0; i < gsa.SatellitesUsed; i++) _sky.MarkUsed(gsa.System, gsa.Ids[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeVtg(in VtgSentence vtg)
    {
        if (!vtg.Valid) return;
        if (vtg.SpeedMetersPerSecond is { } speed) _epoch.Speed = speed;
        if (vtg.CourseDegrees is { } course) _epoch.Course = course;
        if (vtg.MagneticCourseDegrees is { } magnetic) _epoch.MagneticCourse = magnetic;
    }

    /// <summary>
    /// SiRF chips before 2.2 leave the altitude empty on a 3D fix; gpsd takes that as 2D, and so do we. The satellite
    /// count is not consulted: gpsd does not either (ublox-lea-4h.log reports 3D from three satellites).
    /// </summary>
    private static int DimensionOf(double? altitude, int? satellites) => altitude is null || satellites is 0 ? 2 : 3;

    /// <summary>Within a cycle the dimension only rises: 2D from a position, 3D from an altitude or a GSA that says so.</summary>
    private void RaiseMode(int mode)
    {
        if (_epoch.Mode < mode) _epoch.Mode = mode;
    }

    private void SetNoFix()
    {
        _epoch.Mode = 1;
        _epoch.Status = NmeaStatus.Unknown;
        _epoch.Latitude = _epoch.Longitude = null;
    }

    private void SetPosition(double? latitude, double? longitude)
    {
        _epoch.Latitude = latitude;
        _epoch.Longitude = longitude;
    }

    /// <summary>Closes the open cycle into <paramref name="fix"/>; false for a cycle that never got a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Complete(out NmeaFix fix)
    {
        fix = default;
        _open = false;
        var e = _epoch;
        if (!e.HasTime) return false;
        _lastEmitted = e.Time;
        var mode = e.Mode == 0 ? (e.Latitude is not null ? 2 : 1) : e.Mode;
        var positioned = mode >= 2 && e.Latitude is not null && e.Longitude is not null;
        if (!positioned) mode = 1;
        _sky.EndCycle(e.HasGsa);
        fix = new NmeaFix
        {
            TimeOfDay = e.Time,
            UtcTime = UtcOf(e),
            Mode = mode,
            Status = positioned ? e.Status : NmeaStatus.Unknown,
            Latitude = positioned ? e.Latitude : null,
            Longitude = positioned ? e.Longitude : null,
            AltitudeMsl = mode == 3 ? e.AltitudeMsl : null,
            GeoidSeparation = e.GeoidSeparation,
            SpeedMetersPerSecond = positioned ? e.Speed : null,
            CourseDegrees = positioned ? e.Course : null,
            Hdop = e.Hdop,
            Pdop = e.Pdop,
            Vdop = e.Vdop,
            Satellites = e.HasGsa ? _sky.UsedCount : e.SatellitesCounted,
            SatellitesSeen = _sky.HasView ? _sky.Satellites.Length : null,
            UsedBySystem = _sky.UsedBySystem,
            SeenBySystem = _sky.SeenBySystem,
            MagneticVariation = positioned ? e.MagneticVariation : null,
            MagneticTrackDegrees = positioned ? e.MagneticCourse : null,
            Errors = e.Gst,
            MonotonicTimestamp = e.Timestamp,
        };
        // DOPs are computed from the sky only when this cycle updated it (GSA or GSV), as gpsd runs fill_dop() only
        // for a sentence that set SATELLITE_SET (libgpsd_core.c gpsd_poll()); an older cycle's sky gives no DOPs.
        var sky = e.HasGsa || _skyFresh ? _sky.Satellites : default;
        _skyFresh = false;
        fix = _model.Apply(fix, sky, e.Gbs, e.Epe);
        if (fix.HasFix) _statistics?.CountFix();
        return true;
    }

    /// <summary>
    /// UTC from the cycle's date (RMC/ZDA), or from the last date seen: the same day while the time of day goes on,
    /// the next day when it went back by more than 12 hours (midnight passed between the two cycles).
    /// </summary>
    private DateTimeOffset? UtcOf(in Epoch e)
    {
        if (e.Date is { } parts && Dates.Resolve(parts) is { } date)
        {
            _lastDate = date;
            _lastDateTime = e.Time;
        }
        else if (_lastDate is { } last)
        {
            if (e.Time < _lastDateTime - TimeSpan.FromHours(12))
            {
                _lastDate = last.AddDays(1);
                _lastDateTime = e.Time;
            }
            else if (e.Time < _lastDateTime)
            {
                return null; // an older cycle out of order: its date is not certain
            }
        }
        if (_lastDate is not { } day) return null;
        return Dates.RepairRollover(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + e.Time);
    }

    private struct Epoch
    {
        public TimeSpan Time;
        public bool HasTime, HasGsa, Trailing;
        public long Timestamp, LastTimedKey;
        public int Mode, Status;
        public double? Latitude, Longitude, AltitudeMsl, GeoidSeparation, Speed, Course, Hdop, Pdop, Vdop, MagneticVariation, MagneticCourse;
        public int? SatellitesCounted;
        public NmeaDateParts? Date;
        public GstSentence? Gst;
        public GbsSentence? Gbs;
        public PsrfepeSentence? Epe;
    }
}
