using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Devices.NmeaGps;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// No field of a published fix is older than its cycle: for random receivers (each cycle sends GGA, a random subset of
/// RMC, VTG, GSA, and GLL, every value unique to its cycle), each value of a fix is the one its own cycle sent, or derived
/// from its own cycle and the previous fix (speed, climb, magnetic track, error estimates), or absent. The agreement
/// tests against gpsd hold the values themselves; this holds that none comes from an older cycle.
/// </summary>
public sealed class NmeaFreshnessPropertyTests
{
    private const double Knot = RmcSentence.MetersPerSecondPerKnot;

    [Fact]
    public void RandomCycles_EveryFieldFromItsOwnCycleOrDerived()
    {
        var gen = from n in Gen.Choose(2, 30) from masks in Gen.ArrayOf(Gen.Choose(0, 15), n) select masks;
        var prop = Prop.ForAll(gen.ToArbitrary(), masks => Check(masks));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void SpeedlessCycle_AfterOneWithSpeed_DerivesNotCarries()
    {
        // Cycles 0 and 1 send RMC (speeds 1 and 2 kn); cycle 2 only GGA and GLL: its speed comes from the positions.
        Assert.True(Check([0b0011, 0b0011, 0b0001]));
        var fixes = Decode([0b0011, 0b0011, 0b0001]);
        Assert.NotEqual(Speed(1) * Knot, fixes[2].SpeedMetersPerSecond!.Value, 3);
    }

    private static bool Check(int[] masks)
    {
        var fixes = Decode(masks);
        NmeaFix? previous = null;
        foreach (var fix in fixes)
        {
            // The first cycle is assembled before the end-of-cycle sentence is learned: the next cycle's untimed
            // sentences may join it (newer, never older); from the second on, every cycle is exact.
            if (fix.TimeOfDay == TimeSpan.FromHours(10))
            {
                previous = fix;
                continue;
            }
            var i = (int)fix.TimeOfDay.TotalSeconds - 36000;
            var m = masks[i];
            bool gga = (m & 1) != 0, rmc = (m & 2) != 0, vtg = (m & 4) != 0, gsa = (m & 8) != 0;
            if (!fix.HasFix) continue;
            var dt = previous is { UtcTime: { } t } && fix.UtcTime is { } now ? (now - t).TotalSeconds : 0;
            var derivedSpeed = previous is { HasFix: true } p && dt > 0
                ? Geodesy.Distance(p.Latitude!.Value, p.Longitude!.Value, fix.Latitude!.Value, fix.Longitude!.Value) / dt : (double?)null;
            var reportedSpeed = vtg ? Speed(i) * Knot : rmc ? Speed(i) * Knot : (double?)null;
            if (!Same(fix.SpeedMetersPerSecond, reportedSpeed) && !Same(fix.SpeedMetersPerSecond, derivedSpeed)) return Fail(i, "speed", fix.SpeedMetersPerSecond);
            if (!Same(fix.CourseDegrees, vtg ? Course(i) + 1 : rmc ? Course(i) : null)) return Fail(i, "course", fix.CourseDegrees);
            if (!Same(fix.AltitudeMsl, gga ? Altitude(i) : null)) return Fail(i, "altitude", fix.AltitudeMsl);
            if (!Same(fix.Hdop, gsa ? Dop(i) + 0.1 : gga ? Dop(i) : null)) return Fail(i, "hdop", fix.Hdop);
            if (!Same(fix.Vdop, gsa ? Dop(i) + 0.2 : null)) return Fail(i, "vdop", fix.Vdop);
            double? magnetic = vtg ? Course(i) + 2 : rmc ? Course(i) + Variation(i) : null;
            if (!Same(fix.MagneticTrackDegrees, magnetic)) return Fail(i, "magtrack", fix.MagneticTrackDegrees);
            double? climb = previous is { Mode: 3 } pc && fix.Mode == 3 && dt > 0 ? (fix.AltitudeMsl - pc.AltitudeMsl) / dt : null;
            if (!Same(fix.ClimbMetersPerSecond, climb)) return Fail(i, "climb", fix.ClimbMetersPerSecond);
            if (!Same(fix.Estimates.Eph, fix.Hdop * 19.0)) return Fail(i, "eph", fix.Estimates.Eph);
            previous = fix;
        }
        return true;
    }

    private static bool Fail(int cycle, string field, double? value) =>
        throw new Xunit.Sdk.XunitException($"cycle {cycle}: {field} {value} is not from its own cycle nor derived from it");

    /// <summary>Absent is always allowed here (a sentence pushed into the first cycle while learning leaves a gap).</summary>
    private static bool Same(double? a, double? b) => a is null || (b is { } v && Math.Abs(a.Value - v) < 1e-6);

    private static List<NmeaFix> Decode(int[] masks)
    {
        var text = new StringBuilder();
        for (var i = 0; i < masks.Length; i++) text.Append(Cycle(i, masks[i]));
        var replay = new NmeaLogReplay(new DateOnly(2026, 1, 1));
        var fixes = new List<NmeaFix>();
        replay.Run(new MemoryStream(Encoding.ASCII.GetBytes(text.ToString())), fixes.Add);
        return fixes;
    }

    // Values unique to cycle i, so a value from another cycle is recognised.
    private static double Speed(int i) => 1 + i;
    private static double Course(int i) => 10 + (3 * i);
    private static double Altitude(int i) => 100 + (7 * i);
    private static double Dop(int i) => 1 + (0.01 * i);
    private static double Variation(int i) => 1 + (0.5 * i);
    private static double Latitude(int i) => 48.1 + (0.0001 * i);

    /// <summary>
    /// Bits: 1 GGA with HDOP and altitude, 2 RMC, 4 VTG, 8 GSA. Every cycle opens with GGA and ends with GLL, as a real
    /// receiver keeps its order (the assembler learns the last one; the untimed VTG/GSA join the cycle they arrive in).
    /// </summary>
    private static string Cycle(int i, int mask)
    {
        var time = $"{10 + (i / 3600):00}{i / 60 % 60:00}{i % 60:00}.00";
        var lat = Latitude(i);
        var latField = $"{(int)lat:00}{(lat - (int)lat) * 60:00.000000}".Replace(',', '.');
        var sb = new StringBuilder();
        // GGA opens every cycle; without bit 1 it carries no HDOP and no altitude (a 2D fix).
        sb.Append(Line((mask & 1) != 0
            ? Invariant($"GPGGA,{time},{latField},N,01131.000,E,1,08,{Dop(i):0.00},{Altitude(i):0.0},M,46.9,M,,")
            : Invariant($"GPGGA,{time},{latField},N,01131.000,E,1,08,,,M,,M,,")));
        if ((mask & 2) != 0)
            sb.Append(Line(Invariant($"GPRMC,{time},A,{latField},N,01131.000,E,{Speed(i):0.0},{Course(i):0.0},010126,{Variation(i):0.0},E,A")));
        if ((mask & 4) != 0)
            sb.Append(Line(Invariant($"GPVTG,{Course(i) + 1:0.0},T,{Course(i) + 2:0.0},M,{Speed(i):0.0},N,{Speed(i) * 1.852:0.000},K,A")));
        if ((mask & 8) != 0) sb.Append(Line(Invariant($"GPGSA,A,3,01,02,03,04,,,,,,,,,{Dop(i) + 0.3:0.00},{Dop(i) + 0.1:0.00},{Dop(i) + 0.2:0.00}")));
        sb.Append(Line(Invariant($"GPGLL,{latField},N,01131.000,E,{time},A,A")));
        return sb.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Line(string body)
    {
        byte sum = 0;
        foreach (var c in body) sum ^= (byte)c;
        return $"${body}*{sum:X2}\r\n";
    }
}

/// <summary>A receiver that reports a position hundreds of kilometres away a second later: counted once, never a speed.</summary>
public sealed class NmeaPositionJumpTests
{
    [Fact]
    public void JumpOf520Km_CountedAndRaisedOnce_NoSpeedDerived_FixStillPublished()
    {
        var stats = new NmeaStatistics();
        var assembler = new NmeaEpochAssembler(stats, new NmeaDateResolver(new DateOnly(2026, 1, 1)));
        var jumps = new List<(double Metres, double Seconds)>();
        assembler.PositionJump += (m, s) => jumps.Add((m, s));
        var fixes = new List<NmeaFix>();
        var text = string.Concat(
            "$GPRMC,100000.00,A,4807.0380,N,01131.0000,E,,,010126,,,A*", "\n",
            "$GPRMC,100001.00,A,4807.0390,N,01131.0000,E,,,010126,,,A*", "\n",
            "$GPRMC,100002.00,A,5237.0390,N,01331.0000,E,,,010126,,,A*", "\n",  // about 520 km away a second later
            "$GPRMC,100003.00,A,5237.0400,N,01331.0000,E,,,010126,,,A*", "\n");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var body = line[1..^1];
            byte sum = 0;
            foreach (var c in body) sum ^= (byte)c;
            var bytes = System.Text.Encoding.ASCII.GetBytes($"${body}*{sum:X2}\r\n");
            var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(bytes));
            Assert.True(NmeaSentenceReader.TryRead(ref reader, out var sentence, stats));
            if (assembler.Add(sentence, 0, out var fix)) fixes.Add(fix);
        }
        if (assembler.Flush(out var last)) fixes.Add(last);
        Assert.Equal(4, fixes.Count(f => f.HasFix));
        Assert.Equal(1, stats.PositionJumps);
        var jump = Assert.Single(jumps);
        Assert.InRange(jump.Metres, 515_000, 525_000); // 4.5 degrees north and 2 east: about 520 km (Vincenty)
        Assert.Null(fixes[2].SpeedMetersPerSecond); // the jump itself has no derived speed
        Assert.NotNull(fixes[3].SpeedMetersPerSecond); // the next fix derives from the new place again
    }
}
