using System.Runtime.CompilerServices;
namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Merges the sentences of one receiver cycle (GGA, RMC, GSA, GSV, VTG, GLL, ZDA, GNS, GST, GBS from any talker) into one
/// <see cref="NmeaFix"/>, the way gpsd builds one TPV per cycle.
/// </summary>
/// <remarks>
/// <para>Cycles: the sentences of a cycle share the UTC time field; sentences without one (GSA, GSV, VTG) join the
/// cycle they arrive in, or the next one when none is open. A cycle completes when a sentence with another time
/// arrives, or at once when the sentence that ended the previous cycle arrives again (learned per receiver, as gpsd
/// learns its "end of cycle" sentence), so a steady receiver's fix is not delayed by a second; a receiver that sends
/// untimed sentences after that one has its cycle completed by the next time, or by <see cref="Flush"/> when the line
/// goes quiet. A late sentence of a cycle already emitted is ignored and makes the assembler learn the end of cycle
/// again.</para>
/// <para>Merging follows gpsd (driver_nmea0183.c): within a cycle the last sentence to set a value wins. Mode: GGA/GNS
/// with a fix give 3 with an altitude and 2 without; GSA gives its fix-mode field; RMC/GLL valid raise it to at least
/// 2; GGA quality 0, RMC/GLL status V and mode indicator N give 1. Dates: RMC/ZDA; a cycle without one uses the last
/// date seen (rolled over midnight). Not thread-safe: one reader feeds it.</para>
/// </remarks>
public sealed partial class NmeaEpochAssembler
{
    private readonly NmeaStatistics? _statistics;
    private Epoch _epoch;
    private bool _open;
    private TimeSpan? _lastEmitted;
    private long _ender;

    /// <summary>
    /// Learned with the end of cycle: this receiver sends untimed sentences (GSA, GSV, VTG) after its last timed one,
    /// and they belong to that cycle, as gpsd merges them (a sentence without a time joins the cycle of the last
    /// timed sentence; driver_nmea0183.c reports again "just after a cycle ender"). Completing at the last timed
    /// sentence would hand them to the next cycle, an older cycle's DOPs in a newer fix (com-1289.log, triton400.log).
    /// </summary>
    private bool _trailers;

    /// <summary>A GSV arrived since the last cycle completed: the sky view belongs to the cycle being assembled.</summary>
    private bool _skyFresh;
    private DateOnly? _lastDate;
    private TimeSpan _lastDateTime;

    /// <param name="statistics">Counters to add to (sentences by type, malformed, cycles), or null for none.</param>
    public NmeaEpochAssembler(NmeaStatistics? statistics = null)
        : this(statistics, null)
    {
    }

    /// <param name="statistics">Counters to add to, or null for none.</param>
    /// <param name="dates">The century and week-rollover reference (a replay passes its log's date), or null for <see cref="NmeaDateResolver.SoftwareEpoch"/>.</param>
    internal NmeaEpochAssembler(NmeaStatistics? statistics, NmeaDateResolver? dates)
    {
        _statistics = statistics;
        _model = new NmeaErrorModel(statistics);
        Dates = dates ?? new NmeaDateResolver();
    }

    /// <summary>Century and week-rollover reference (a replay sets it from a log's <c># Date:</c> header).</summary>
    internal NmeaDateResolver Dates { get; set; }

    /// <summary>
    /// Adds a sentence received at <paramref name="monotonicTimestamp"/>; returns true with the completed cycle when
    /// this sentence completes one. Other sentence types are ignored; undecodable ones are counted as malformed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(NmeaSentence sentence, long monotonicTimestamp, out NmeaFix fix)
    {
        fix = default;
        if (sentence.IsProprietary) return AddProprietary(sentence, monotonicTimestamp, out fix);
        var type = sentence.Type;
        if (type.Length != 3) return false;
        var completed = false;
        TimeSpan? time = null;
        switch (Classify(type))
        {
            case Kind.Gga:
                if (!GgaSentence.TryParse(sentence, out var gga)) return CountMalformed();
                if ((time = gga.Time) is null) return false; // no time: nothing to put it with
                if (Enter(time, sentence, monotonicTimestamp, ref completed, out fix)) MergeGga(gga);
                break;
            case Kind.Rmc:
                if (!RmcSentence.TryParse(sentence, out var rmc)) return CountMalformed();
                if ((time = rmc.Time) is null) return false;
                if (Enter(time, sentence, monotonicTimestamp, ref completed, out fix)) MergeRmc(rmc);
                break;
            case Kind.Gns:
                if (!GnsSentence.TryParse(sentence, out var gns)) return CountMalformed();
                if ((time = gns.Time) is null) return false;
                if (Enter(time, sentence, monotonicTimestamp, ref completed, out fix)) MergeGns(gns);
                break;
            case Kind.Gll:
                if (!GllSentence.TryParse(sentence, out var gll)) return CountMalformed();
                if (Enter(time = gll.Time, sentence, monotonicTimestamp, ref completed, out fix)) MergeGll(gll);
                break;
            case Kind.Zda:
                if (!ZdaSentence.TryParse(sentence, out var zda)) return CountMalformed();
                NoteDate(zda);
                return false;
            case Kind.Gst:
                if (!GstSentence.TryParse(sentence, out var gst)) return CountMalformed();
                if ((time = gst.Time) is null) return false;
                if (Enter(time, sentence, monotonicTimestamp, ref completed, out fix)) _epoch.Gst = gst;
                break;
            case Kind.Gbs:
                if (!GbsSentence.TryParse(sentence, out var gbs)) return CountMalformed();
                if ((time = gbs.Time) is null) return false;
                if (Enter(time, sentence, monotonicTimestamp, ref completed, out fix)) _epoch.Gbs = gbs;
                break;
            case Kind.Gsa:
                if (!GsaSentence.TryParse(sentence, out var gsa)) return CountMalformed();
                if (Enter(null, sentence, monotonicTimestamp, ref completed, out fix)) MergeGsa(gsa);
                break;
            case Kind.Vtg:
                if (!VtgSentence.TryParse(sentence, out var vtg)) return CountMalformed();
                if (Enter(null, sentence, monotonicTimestamp, ref completed, out fix)) MergeVtg(vtg);
                break;
            case Kind.Gsv:
                if (!GsvSentence.TryParse(sentence, out var gsv)) return CountMalformed();
                _sky.Add(gsv);
                _skyFresh = true;
                if (_open && _epoch.HasTime) _epoch.Trailing = true;
                return false;
            default:
                return false;
        }
        if (completed) return true;
        // The learned end of cycle: complete now instead of waiting for the next cycle's first sentence.
        // Not for a receiver whose cycles go on with untimed sentences after their last timed one (see _trailers).
        return time is not null && _open && _ender != 0 && !_trailers && Key(sentence) == _ender && Complete(out fix);
    }

    /// <summary>
    /// Manufacturer sentences: only SiRF's PSRFEPE is read (the receiver's own error estimates, a timed sentence of the
    /// cycle, as gpsd's processPSRFEPE() takes it); the others are ignored.
    /// </summary>
    private bool AddProprietary(NmeaSentence sentence, long timestamp, out NmeaFix fix)
    {
        fix = default;
        if (!sentence.Address.SequenceEqual("PSRFEPE"u8)) return false;
        if (!PsrfepeSentence.TryParse(sentence, out var epe)) return CountMalformed();
        if (epe.Time is not { } time) return false;
        var completed = false;
        if (Enter(time, sentence, timestamp, ref completed, out fix) && epe.Valid) _epoch.Epe = epe;
        if (completed) return true;
        return _open && _ender != 0 && !_trailers && Key(sentence) == _ender && Complete(out fix);
    }

    /// <summary>Completes the open cycle, if any (at the end of a log, or when the line goes quiet).</summary>
    public bool Flush(out NmeaFix fix)
    {
        fix = default;
        return _open && _epoch.HasTime && Complete(out fix);
    }

    /// <summary>Raised once per position jump (see <see cref="NmeaStatistics.PositionJumps"/>): metres, seconds.</summary>
    public event Action<double, double>? PositionJump
    {
        add => _model.JumpDetected += value;
        remove => _model.JumpDetected -= value;
    }

    /// <summary>The sky view (GSV) with the used flags of the latest cycle. Valid until the next <see cref="Add"/>.</summary>
    public ReadOnlySpan<NmeaSatellite> Satellites => _sky.Satellites;

    /// <summary>
    /// Puts the sentence into the open cycle, opening or completing cycles as its time says; false when the sentence
    /// belongs to a cycle already emitted and must be dropped. <paramref name="completed"/> is set when the previous
    /// cycle was completed by this sentence (then <paramref name="fix"/> holds it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Enter(TimeSpan? time, NmeaSentence sentence, long timestamp, ref bool completed, out NmeaFix fix)
    {
        fix = default;
        if (time is not { } t)
        {
            if (!_open) Open(null, timestamp);
            else if (_epoch.HasTime) _epoch.Trailing = true;
            return true;
        }
        if (_open && _epoch.HasTime && _epoch.Time != t)
        {
            // The time moved on: the last timed sentence of the closing cycle ends cycles of this receiver, unless
            // untimed sentences followed it (then the cycle ends with the next time, or when the line goes quiet).
            _ender = _epoch.LastTimedKey;
            _trailers = _epoch.Trailing;
            completed = Complete(out fix);
        }
        if (!_open)
        {
            if (_lastEmitted == t)
            {
                // A straggler of the cycle just emitted: the learned end of cycle was wrong; learn it again.
                _ender = 0;
                return false;
            }
            Open(t, timestamp);
        }
        else if (!_epoch.HasTime)
        {
            if (_lastEmitted == t)
            {
                // Untimed sentences (GSA, VTG) and then a straggler of the cycle just emitted: all of them belong to
                // that cycle (gpsd merges them into it), none to the next one; drop them and learn the end again.
                _open = false;
                _ender = 0;
                return false;
            }
            _epoch.Time = t;
            _epoch.HasTime = true;
        }
        _epoch.LastTimedKey = Key(sentence);
        _epoch.Trailing = false;
        return true;
    }

    /// <summary>
    /// ZDA only dates cycles, it never opens or closes one: some receivers send it with the time of the next PPS edge
    /// (the Ashtech AC12 in ac12.log runs two seconds ahead), and it often follows the sentence that ends the cycle.
    /// </summary>
    private void NoteDate(in ZdaSentence zda)
    {
        if (zda.Time is not { } time || zda.Date is not { } parts) return;
        if (_open && (!_epoch.HasTime || _epoch.Time == time))
        {
            _epoch.Date = parts;
        }
        else if (Dates.Resolve(parts) is { } date)
        {
            _lastDate = date;
            _lastDateTime = time;
        }
    }

    private void Open(TimeSpan? time, long timestamp)
    {
        _epoch = new Epoch { Time = time ?? default, HasTime = time is not null, Timestamp = timestamp };
        _sky.BeginCycle();
        _open = true;
    }

    private bool CountMalformed()
    {
        _statistics?.CountMalformed();
        return false;
    }

    /// <summary>Talker and type as one number (5 ASCII bytes), to recognise the end-of-cycle sentence.</summary>
    private static long Key(NmeaSentence sentence)
    {
        long key = 0;
        foreach (var b in sentence.Address) key = (key << 8) | b;
        return key;
    }

    private static Kind Classify(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("GGA"u8) => Kind.Gga,
        _ when type.SequenceEqual("RMC"u8) => Kind.Rmc,
        _ when type.SequenceEqual("GSA"u8) => Kind.Gsa,
        _ when type.SequenceEqual("GSV"u8) => Kind.Gsv,
        _ when type.SequenceEqual("VTG"u8) => Kind.Vtg,
        _ when type.SequenceEqual("GLL"u8) => Kind.Gll,
        _ when type.SequenceEqual("ZDA"u8) => Kind.Zda,
        _ when type.SequenceEqual("GNS"u8) => Kind.Gns,
        _ when type.SequenceEqual("GST"u8) => Kind.Gst,
        _ when type.SequenceEqual("GBS"u8) => Kind.Gbs,
        _ => Kind.Other,
    };

    private enum Kind
    {
        Other, Gga, Rmc, Gsa, Gsv, Vtg, Gll, Zda, Gns, Gst, Gbs,
    }
}
