using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Text;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Writes fixes as gpsd's JSON reports (gpsd_json(5)), one object per line: TPV (<c>class</c>, <c>time</c>,
/// <c>mode</c>, <c>status</c> when not plain GPS, <c>lat</c>, <c>lon</c>, <c>altMSL</c>, <c>speed</c>, <c>track</c>, and what gpsd's error model
/// derives: <c>magtrack</c>, <c>climb</c>, <c>ept</c>/<c>epx</c>/<c>epy</c>/<c>epv</c>/<c>eph</c>/<c>sep</c>/<c>eps</c>/<c>epd</c>)
/// and SKY (<c>hdop</c>, <c>pdop</c>, <c>vdop</c>, <c>nSat</c>, <c>uSat</c>, <c>satellites</c>), and GST when the
/// receiver sent one. Numbers use gpsd's decimals (9 for degrees, 4 for metres and track, 3 for speed) so that a
/// line-by-line comparison with gpsd's output reads easily. Allocates nothing per object.
/// </summary>
public static class GpsdJsonWriter
{
    private static readonly StandardFormat Deg = new('F', 9), Metres = new('F', 4), Speed = new('F', 3), Dop = new('F', 2);

    /// <summary>
    /// Appends one TPV line (with its newline) for <paramref name="fix"/> to <paramref name="output"/>; members the fix
    /// lacks are left out, as gpsd leaves them out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteTpv(IBufferWriter<byte> output, in NmeaFix fix)
    {
        var w = new Writer(output, 512);
        w.Raw("{\"class\":\"TPV\""u8);
        WriteTime(ref w, fix);
        w.Raw(",\"mode\":"u8);
        w.Int(fix.Mode);
        if (fix.Status > NmeaStatus.Gps)
        {
            w.Raw(",\"status\":"u8);
            w.Int(fix.Status);
        }
        w.Number(",\"lat\":"u8, fix.Latitude, Deg);
        w.Number(",\"lon\":"u8, fix.Longitude, Deg);
        w.Number(",\"altMSL\":"u8, fix.AltitudeMsl, Metres);
        w.Number(",\"speed\":"u8, fix.SpeedMetersPerSecond, Speed);
        w.Number(",\"track\":"u8, fix.CourseDegrees, Metres);
        w.Number(",\"magtrack\":"u8, fix.MagneticTrackDegrees, Metres);
        w.Number(",\"climb\":"u8, fix.ClimbMetersPerSecond, Speed);
        var e = fix.Estimates;
        w.Number(",\"ept\":"u8, e.Ept, Speed);
        w.Number(",\"epx\":"u8, e.Epx, Speed);
        w.Number(",\"epy\":"u8, e.Epy, Speed);
        w.Number(",\"epv\":"u8, e.Epv, Speed);
        w.Number(",\"eph\":"u8, e.Eph, Speed);
        w.Number(",\"sep\":"u8, e.Sep, Speed);
        w.Number(",\"eps\":"u8, e.Eps, Dop);
        w.Number(",\"epd\":"u8, e.Epd, Metres);
        w.Raw("}\n"u8);
        w.Commit();
    }

    /// <summary>SKY with the sky view's satellites (PRN, el, az, ss, used, gnssid as gpsd numbers constellations).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteSky(IBufferWriter<byte> output, in NmeaFix fix, ReadOnlySpan<NmeaSatellite> satellites)
    {
        var w = new Writer(output, 160 + (satellites.Length * 80));
        w.Raw("{\"class\":\"SKY\""u8);
        WriteTime(ref w, fix);
        w.Number(",\"hdop\":"u8, fix.Hdop, Dop);
        w.Number(",\"pdop\":"u8, fix.Pdop, Dop);
        w.Number(",\"vdop\":"u8, fix.Vdop, Dop);
        w.Int(",\"nSat\":"u8, fix.SatellitesSeen);
        w.Int(",\"uSat\":"u8, fix.Satellites);
        if (!satellites.IsEmpty)
        {
            w.Raw(",\"satellites\":["u8);
            for (var i = 0; i < satellites.Length; i++)
            {
                var s = satellites[i];
                w.Raw(i == 0 ? "{\"PRN\":"u8 : ",{\"PRN\":"u8);
                w.Int(s.Prn);
                w.Int(",\"el\":"u8, s.Elevation);
                w.Int(",\"az\":"u8, s.Azimuth);
                w.Int(",\"ss\":"u8, s.Snr);
                w.Raw(s.Used ? ",\"used\":true"u8 : ",\"used\":false"u8);
                w.Raw(",\"gnssid\":"u8);
                w.Int(GpsdGnssId(s.System));
                w.Raw("}"u8);
            }
            w.Raw("]"u8);
        }
        w.Raw("}\n"u8);
        w.Commit();
    }

    /// <summary>GST: the receiver's own error estimates (metres, 1 sigma), when it sent GST in the cycle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteGst(IBufferWriter<byte> output, in NmeaFix fix)
    {
        if (fix.Errors is not { } gst) return;
        var w = new Writer(output, 256);
        w.Raw("{\"class\":\"GST\""u8);
        WriteTime(ref w, fix);
        w.Number(",\"rms\":"u8, gst.Rms, Speed);
        w.Number(",\"major\":"u8, gst.Major, Speed);
        w.Number(",\"minor\":"u8, gst.Minor, Speed);
        w.Number(",\"orient\":"u8, gst.Orientation, Speed);
        w.Number(",\"lat\":"u8, gst.LatitudeError, Speed);
        w.Number(",\"lon\":"u8, gst.LongitudeError, Speed);
        w.Number(",\"alt\":"u8, gst.AltitudeError, Speed);
        w.Raw("}\n"u8);
        w.Commit();
    }

    /// <summary>gpsd's gnssid (the u-blox numbering): 0 GPS, 1 SBAS, 2 Galileo, 3 BeiDou, 5 QZSS, 6 GLONASS, 7 NavIC.</summary>
    public static int GpsdGnssId(GnssSystem system) => system switch
    {
        GnssSystem.Sbas => 1,
        GnssSystem.Galileo => 2,
        GnssSystem.BeiDou => 3,
        GnssSystem.Qzss => 5,
        GnssSystem.Glonass => 6,
        GnssSystem.NavIC => 7,
        _ => 0,
    };

    private static void WriteTime(ref Writer w, in NmeaFix fix)
    {
        if (fix.UtcTime is not { } utc) return;
        w.Raw(",\"time\":\""u8);
        w.Time(utc);
        w.Raw("\""u8);
    }

    /// <summary>
    /// Formats into one span of the output, committed at the end. Integers, fixed-point numbers and times are written
    /// by hand: through the general formatters they were a quarter of <c>gatewayctl gps replay --sky</c>'s time (a
    /// fixed-point double goes through Dragon4's big-integer arithmetic there); each hand-written form falls back to the
    /// general formatter where it could differ from it, so the bytes are the same.
    /// </summary>
    private ref struct Writer
    {
        /// <summary>Powers of ten up to the most decimals written (9, degrees).</summary>
        private static ReadOnlySpan<double> PowersOfTen => [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

        /// <summary>
        /// Bounds for the fixed-point fast path. Below 2^40 the one rounding in <c>|value| * 10^decimals</c> is at most
        /// 2^-13 (half an ulp at 2^40), so when the scaled value's fraction is further than 2^-12 from one half it
        /// rounds the same way as the exact binary value, which is what .NET's 'F' format rounds.
        /// </summary>
        private const double MaxScaled = 1L << 40, HalfMargin = 1.0 / 4096;

        private readonly IBufferWriter<byte> _output;
        private readonly Span<byte> _span;
        private int _n;

        public Writer(IBufferWriter<byte> output, int sizeHint)
        {
            _output = output;
            _span = output.GetSpan(sizeHint);
            _n = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[_n..]);
            _n += bytes.Length;
        }

        public void Int(int value)
        {
            if ((uint)value < 1000)
            {
                Digits((uint)value, (uint)value < 10 ? 1 : (uint)value < 100 ? 2 : 3);
                return;
            }
            Utf8Formatter.TryFormat(value, _span[_n..], out var written);
            _n += written;
        }

        /// <summary>An optional integer member: <paramref name="key"/> and the value, or nothing when there is none.</summary>
        public void Int(ReadOnlySpan<byte> key, int? value)
        {
            if (value is not { } v) return;
            Raw(key);
            Int(v);
        }

        public void Number(ReadOnlySpan<byte> key, double? value, StandardFormat format)
        {
            if (value is not { } v || !double.IsFinite(v)) return;
            Raw(key);
            if (!TryFixed(v, format.Precision))
            {
                Utf8Formatter.TryFormat(v, _span[_n..], out var written, format);
                _n += written;
            }
        }

        /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c>; the milliseconds truncated, as the <c>fff</c> format does.</summary>
        public void Time(DateTimeOffset utc)
        {
            var t = utc.UtcDateTime;
            t.Deconstruct(out int year, out int month, out int day);
            Digits((uint)year, 4);
            _span[_n++] = (byte)'-';
            Digits((uint)month, 2);
            _span[_n++] = (byte)'-';
            Digits((uint)day, 2);
            _span[_n++] = (byte)'T';
            Digits((uint)t.Hour, 2);
            _span[_n++] = (byte)':';
            Digits((uint)t.Minute, 2);
            _span[_n++] = (byte)':';
            Digits((uint)t.Second, 2);
            _span[_n++] = (byte)'.';
            Digits((uint)(t.Ticks / TimeSpan.TicksPerMillisecond % 1000), 3);
            _span[_n++] = (byte)'Z';
        }

        public readonly void Commit() => _output.Advance(_n);

        /// <summary>
        /// <paramref name="value"/> with <paramref name="decimals"/> decimals, when the scaled value is small enough and not
        /// near a rounding tie (see <see cref="MaxScaled"/>) and the result is not a negative zero; false to leave it to
        /// the general formatter.
        /// </summary>
        private bool TryFixed(double value, int decimals)
        {
            if ((uint)decimals >= (uint)PowersOfTen.Length) return false;
            var scaled = Math.Abs(value) * PowersOfTen[decimals];
            if (!(scaled < MaxScaled)) return false;
            var whole = Math.Floor(scaled);
            var fraction = scaled - whole;
            if (Math.Abs(fraction - 0.5) <= HalfMargin) return false;
            var n = (ulong)whole + (fraction > 0.5 ? 1UL : 0UL);
            if (n == 0 && double.IsNegative(value)) return false; // "-0.000": left to the formatter
            if (value < 0) _span[_n++] = (byte)'-';
            var unit = (ulong)PowersOfTen[decimals];
            var integer = n / unit;
            Digits(integer, CountDigits(integer));
            if (decimals == 0) return true;
            _span[_n++] = (byte)'.';
            Digits(n - (integer * unit), decimals);
            return true;
        }

        /// <summary>"00" to "99": two digits per division.</summary>
        private static ReadOnlySpan<byte> Pairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

        /// <summary>Writes the <paramref name="count"/> lowest decimal digits of <paramref name="value"/>, zero-padded.</summary>
        private void Digits(ulong value, int count)
        {
            var digits = _span.Slice(_n, count);
            var i = count;
            for (; i >= 2; i -= 2)
            {
                var q = value / 100;
                var pair = (int)(value - (q * 100)) * 2;
                digits[i - 1] = Pairs[pair + 1];
                digits[i - 2] = Pairs[pair];
                value = q;
            }
            if (i == 1) digits[0] = (byte)('0' + (value % 10));
            _n += count;
        }

        private static int CountDigits(ulong value)
        {
            var count = 1;
            while (value >= 10)
            {
                value /= 10;
                count++;
            }
            return count;
        }
    }
}
