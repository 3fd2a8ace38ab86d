namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Merges the sentences of one receiver cycle (GGA, RMC, GSA from any talker) into one <see cref="NmeaFix"/>.
/// Sentences of a cycle share the UTC time field; GSA carries none and joins the cycle it arrives in.
/// </summary>
/// <remarks>
/// A cycle is complete as soon as it has both GGA and RMC (no latency for the usual receivers), or when a sentence
/// with a different time arrives (receivers that send only one of the two). Late sentences of a cycle already emitted
/// are ignored. Mode follows GSA when the receiver sends it (as gpsd does); without GSA, a GGA fix with an altitude is
/// 3D and one without is 2D; GGA quality 0, RMC status V or RMC mode N mean no fix.
/// Not thread-safe: one reader feeds it.
/// </remarks>
public sealed class NmeaEpochAssembler
{
    private readonly NmeaStatistics? _statistics;
    private Epoch _epoch;
    private bool _open;
    private TimeSpan? _lastEmitted;
    private DateOnly? _lastDate;
    private TimeSpan _lastDateTime;
    private int? _lastGsaMode;

    public NmeaEpochAssembler(NmeaStatistics? statistics = null) => _statistics = statistics;

    /// <summary>
    /// Adds a sentence received at <paramref name="monotonicTimestamp"/>; returns true with the completed cycle when
    /// this sentence completes one. Sentences that are not GGA/RMC/GSA are ignored; undecodable ones are counted as
    /// malformed.
    /// </summary>
    public bool Add(NmeaSentence sentence, long monotonicTimestamp, out NmeaFix fix)
    {
        fix = default;
        var type = sentence.Type;
        if (sentence.IsProprietary) return false;
        if (type.SequenceEqual("GSA"u8))
        {
            if (!GsaSentence.TryParse(sentence, out var gsa)) return CountMalformed();
            _lastGsaMode = gsa.Mode;
            if (_open) _epoch.GsaMode = gsa.Mode;
            return false;
        }
        if (type.SequenceEqual("GGA"u8))
        {
            if (!GgaSentence.TryParse(sentence, out var gga)) return CountMalformed();
            if (gga.Time is not { } time) return false; // no time: nothing to put it with
            var completed = Begin(time, monotonicTimestamp, out fix);
            if (_epoch.HasGga) return completed; // a second GGA in one cycle (multi-talker): keep the first
            _epoch.HasGga = true;
            _epoch.Gga = gga;
            return completed || TryCompleteBoth(out fix);
        }
        if (type.SequenceEqual("RMC"u8))
        {
            if (!RmcSentence.TryParse(sentence, out var rmc)) return CountMalformed();
            if (rmc.Time is not { } time) return false;
            if (rmc.Date is { } date)
            {
                _lastDate = date;
                _lastDateTime = time;
            }
            var completed = Begin(time, monotonicTimestamp, out fix);
            if (_epoch.HasRmc) return completed;
            _epoch.HasRmc = true;
            _epoch.Rmc = rmc;
            return completed || TryCompleteBoth(out fix);
        }
        return false;
    }

    /// <summary>Completes the open cycle, if any (at the end of a log).</summary>
    public bool Flush(out NmeaFix fix)
    {
        fix = default;
        return _open && Complete(out fix);
    }

    /// <summary>Opens a cycle for <paramref name="time"/>; completes the open one if its time differs.</summary>
    private bool Begin(TimeSpan time, long timestamp, out NmeaFix completed)
    {
        completed = default;
        var result = false;
        if (_open && _epoch.Time != time) result = Complete(out completed);
        if (!_open)
        {
            _epoch = new Epoch { Time = time, Timestamp = timestamp };
            _open = true;
            // A straggler of a cycle already emitted opens a cycle that Complete drops.
            _epoch.Stale = _lastEmitted == time;
        }
        return result;
    }

    private bool TryCompleteBoth(out NmeaFix fix)
    {
        fix = default;
        return _epoch.HasGga && _epoch.HasRmc && Complete(out fix);
    }

    /// <summary>Closes the open cycle; false (nothing to emit) for a straggler of a cycle already emitted.</summary>
    private bool Complete(out NmeaFix fix)
    {
        _open = false;
        var e = _epoch;
        _lastEmitted = e.Time;
        var lat = e.HasGga ? e.Gga.Latitude : e.Rmc.Latitude;
        var lon = e.HasGga ? e.Gga.Longitude : e.Rmc.Longitude;
        lat ??= e.HasRmc ? e.Rmc.Latitude : null;
        lon ??= e.HasRmc ? e.Rmc.Longitude : null;
        var noFix = (e.HasGga && !e.Gga.HasFix) || (e.HasRmc && !e.Rmc.HasFix) || lat is null || lon is null;
        var gsaMode = e.GsaMode ?? _lastGsaMode;
        var altitude = e.HasGga ? e.Gga.AltitudeMsl : null;
        var mode = noFix ? 1 : gsaMode ?? (altitude is not null ? 3 : 2);
        fix = new NmeaFix(e.Time, UtcOf(e), mode, lat, lon, mode == 3 ? altitude : null,
            e.HasRmc ? e.Rmc.SpeedMetersPerSecond : null, e.HasRmc ? e.Rmc.CourseDegrees : null,
            e.HasGga ? e.Gga.Hdop : null, e.HasGga ? e.Gga.Satellites : null, e.Timestamp);
        if (e.Stale) return false;
        if (fix.HasFix) _statistics?.CountFix();
        return true;
    }

    /// <summary>UTC from the cycle's RMC date, or from the last RMC date when this cycle has none and the clock has
    /// not passed midnight since.</summary>
    private DateTimeOffset? UtcOf(in Epoch e)
    {
        if (e.HasRmc && e.Rmc.UtcTime is { } utc) return utc;
        if (_lastDate is { } date && e.Time >= _lastDateTime)
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + e.Time;
        return null;
    }

    private bool CountMalformed()
    {
        _statistics?.CountMalformed();
        return false;
    }

    private struct Epoch
    {
        public TimeSpan Time;
        public long Timestamp;
        public bool HasGga, HasRmc, Stale;
        public GgaSentence Gga;
        public RmcSentence Rmc;
        public int? GsaMode;
    }
}
