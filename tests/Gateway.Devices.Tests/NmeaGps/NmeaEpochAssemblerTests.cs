using System.Buffers;
using Gateway.Devices.NmeaGps;
using static Gateway.Devices.Tests.NmeaGps.NmeaTestBytes;

namespace Gateway.Devices.Tests.NmeaGps;

public sealed class NmeaEpochAssemblerTests
{
    private static string C(string body) => $"${body}*{body.Aggregate(0, (x, c) => x ^ c):X2}\r\n";

    /// <summary>Feeds the text through reader and assembler; returns the fixes in order.</summary>
    internal static List<NmeaFix> Fixes(string text, NmeaStatistics? stats = null, bool flush = true)
    {
        // The reference date of the NMEA standard's examples (1994), so that no week-rollover repair applies.
        var assembler = new NmeaEpochAssembler(stats, new NmeaDateResolver(new DateOnly(1994, 1, 1)));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(text)));
        var fixes = new List<NmeaFix>();
        long t = 0;
        while (NmeaSentenceReader.TryRead(ref reader, out var s, stats))
            if (assembler.Add(s, ++t, out var fix)) fixes.Add(fix);
        if (flush && assembler.Flush(out var last)) fixes.Add(last);
        return fixes;
    }

    [Fact]
    public void GgaThenRmc_SameTime_OneFixAt3DWithDateFromRmc()
    {
        var stats = new NmeaStatistics();
        var fixes = Fixes(Gga + "\r\n" + Rmc + "\r\n", stats, flush: true);
        var fix = Assert.Single(fixes);
        Assert.Equal(3, fix.Mode);
        Assert.Equal(new DateTimeOffset(1994, 3, 23, 12, 35, 19, TimeSpan.Zero), fix.UtcTime);
        Assert.Equal(545.4, fix.AltitudeMsl);
        Assert.Equal(22.4 * 1852 / 3600, fix.SpeedMetersPerSecond!.Value, 9);
        Assert.Equal(84.4, fix.CourseDegrees);
        Assert.Equal(0.9, fix.Hdop);
        Assert.Equal(8, fix.Satellites);
        Assert.Equal(1, fix.MonotonicTimestamp); // when the cycle's first sentence arrived
        Assert.Equal(1, stats.Fixes);
    }

    [Fact]
    public void GsaMode2_DoesNotLowerGgaAltitude3D_AsGpsd()
    {
        // ch-4711.log: GNGSA says 2 beside a GGA with altitude; gpsd reports 3D, and so do we.
        var fix = Assert.Single(Fixes(C("GNGSA,A,2,04,05,09,,,,,,,,,,2.5,1.3,2.1") + Gga + "\r\n" + Rmc + "\r\n"));
        Assert.Equal(3, fix.Mode);
        Assert.Equal(545.4, fix.AltitudeMsl);
        Assert.Equal(2.5, fix.Pdop);
        Assert.Equal(2.1, fix.Vdop);
    }

    [Fact]
    public void GsaMode3_RaisesGgaWithoutAltitude()
    {
        var fix = Assert.Single(Fixes(C("GPGGA,123519,4807.038,N,01131.000,E,1,04,1.9,,M,,M,,") + C("GPGSA,A,3,04,05,09,12,,,,,,,,,2.5,1.3,2.1") + Rmc + "\r\n"));
        Assert.Equal(3, fix.Mode);
        Assert.Equal(4, fix.Satellites);
    }

    [Fact]
    public void SteadyReceiver_LearnsEndOfCycle_LaterCyclesCompleteOnTheirLastSentence()
    {
        var text = Gga + "\r\n" + Rmc + "\r\n"
                 + C("GPGGA,123520,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,") + C("GPRMC,123520,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
                 + C("GPGGA,123521,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,") + C("GPRMC,123521,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W");
        // Without flushing: the first cycle ends when the second begins (that teaches RMC as the end of cycle), and
        // every later cycle completes on its RMC, without waiting for the next second.
        var fixes = Fixes(text, flush: false);
        Assert.Equal([new TimeSpan(12, 35, 19), new TimeSpan(12, 35, 20), new TimeSpan(12, 35, 21)], fixes.Select(f => f.TimeOfDay));
    }

    [Fact]
    public void ZdaAheadOfTheCycle_OnlyDates_NeverSplitsACycle()
    {
        // ac12.log: the AC12 sends ZDA with the time of the next PPS edge, two seconds ahead.
        var text = C("GPGGA,193221.00,2037.72792,N,08704.08478,W,1,04,1.7,-30.40,M,-13.9,M,,") + C("GPRMC,193221.00,A,2037.7279,N,08704.0848,W,00.1,201.8,231207,01,W,A")
                 + C("GPZDA,193223.00,23,12,2007,00,00")
                 + C("GPGGA,193222.00,2037.72832,N,08704.08469,W,1,04,1.7,-30.00,M,-13.9,M,,") + C("GPRMC,193222.00,A,2037.7283,N,08704.0847,W,00.0,201.8,231207,01,W,A");
        var fixes = Fixes(text);
        Assert.Equal(2, fixes.Count);
        Assert.All(fixes, f => Assert.Equal(3, f.Mode));
        Assert.Equal(new DateTimeOffset(2007, 12, 23, 19, 32, 22, TimeSpan.Zero), fixes[1].UtcTime);
    }

    [Fact]
    public void GsvGroups_SkyViewPerConstellation_UsedFlagsFromGsa()
    {
        var text = C("GPGGA,123519,4807.038,N,01131.000,E,1,04,0.9,545.4,M,46.9,M,,")
                 + C("GPGSA,A,3,04,05,,,,,,,,,,,2.5,1.3,2.1") + C("GLGSA,A,3,65,,,,,,,,,,,,2.5,1.3,2.1")
                 + C("GPGSV,2,1,05,04,40,083,46,05,17,308,41,12,07,344,39,14,22,228,45") + C("GPGSV,2,2,05,20,10,010,")
                 + C("GLGSV,1,1,02,65,30,100,40,66,10,200,")
                 + Rmc + "\r\n";
        var assembler = new NmeaEpochAssembler(null, new NmeaDateResolver(new DateOnly(1994, 1, 1)));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(text)));
        while (NmeaSentenceReader.TryRead(ref reader, out var s)) assembler.Add(s, 0, out _);
        Assert.True(assembler.Flush(out var fix));
        Assert.Equal(7, fix.SatellitesSeen);
        Assert.Equal(3, fix.Satellites);
        Assert.Equal(5, fix.SeenBySystem[(int)GnssSystem.Gps]);
        Assert.Equal(2, fix.SeenBySystem[(int)GnssSystem.Glonass]);
        Assert.Equal(2, fix.UsedBySystem[(int)GnssSystem.Gps]);
        Assert.Equal(1, fix.UsedBySystem[(int)GnssSystem.Glonass]);
        var sky = assembler.Satellites.ToArray();
        Assert.Equal([4, 5, 65], sky.Where(s => s.Used).Select(s => (int)s.Prn));
        Assert.Null(sky.Single(s => s.Prn == 20).Snr);
    }

    [Fact]
    public void GgaWithoutAltitudeAndNoGsa_Is2D()
    {
        var fix = Assert.Single(Fixes(C("GPGGA,123519,4807.038,N,01131.000,E,1,04,1.9,,M,,M,,") + Rmc + "\r\n"));
        Assert.Equal(2, fix.Mode);
    }

    [Theory]
    [InlineData("GPGGA,123519,,,,,0,00,99.9,,M,,M,,", "GPRMC,123519,V,,,,,,,230394,,,N")]
    [InlineData("GPGGA,123519,4807.038,N,01131.000,E,0,00,99.9,,M,,M,,", "GPRMC,123519,V,4807.038,N,01131.000,E,,,230394,,,N")]
    public void NoFixCycle_Mode1(string gga, string rmc)
    {
        var fix = Assert.Single(Fixes(C(gga) + C(rmc)));
        Assert.Equal(1, fix.Mode);
        Assert.False(fix.HasFix);
    }

    [Fact]
    public void RmcOnlyReceiver_CycleCompletesWhenTheTimeChanges()
    {
        var text = C("GPRMC,120000,A,4807.038,N,01131.000,E,1.0,90.0,010126,,,A")
                 + C("GPRMC,120001,A,4807.039,N,01131.000,E,1.0,90.0,010126,,,A");
        var fixes = Fixes(text, flush: false);
        var fix = Assert.Single(fixes);
        Assert.Equal(new TimeSpan(12, 0, 0), fix.TimeOfDay);
        Assert.Equal(2, fix.Mode); // position without altitude
        Assert.Equal(2, Fixes(text).Count); // the second comes with Flush (or the line going quiet)
    }

    [Fact]
    public void GgaOnlyAfterAnRmc_UsesTheLastDate()
    {
        var text = Rmc + "\r\n" + C("GPGGA,123520,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,") + C("GPGGA,123521,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
        var fixes = Fixes(text, flush: false);
        Assert.Equal(2, fixes.Count);
        Assert.Equal(new DateTimeOffset(1994, 3, 23, 12, 35, 20, TimeSpan.Zero), fixes[1].UtcTime);
    }

    [Fact]
    public void LateSentenceOfEmittedCycle_IsIgnored()
    {
        var late = C("GNGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
        var next = C("GPGGA,123520,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
        var fixes = Fixes(Gga + "\r\n" + Rmc + "\r\n" + late + next);
        Assert.Equal([new TimeSpan(12, 35, 19), new TimeSpan(12, 35, 20)], fixes.Select(f => f.TimeOfDay));
    }

    [Fact]
    public void UndecodableGga_CountedMalformedAndIgnored()
    {
        var stats = new NmeaStatistics();
        var fixes = Fixes(C("GPGGA,993519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,") + Rmc + "\r\n", stats);
        Assert.Equal(1, stats.Malformed);
        Assert.Equal(2, Assert.Single(fixes).Mode); // RMC alone: no altitude
    }

    [Fact]
    public void GsaAfterGga_StaysInItsOwnCycle()
    {
        // gp-320fw-2019-03-28.log and sl869.log: RMC, GGA, then GSA (three GNGSA on the SL869). The GSAs belong to the
        // cycle of the GGA before them: otherwise each cycle's DOPs would be published with the next cycle (older values).
        static string Cycle(int s, string vdop) =>
            C($"GPRMC,1235{s},A,4807.038,N,01131.000,E,000.0,000.0,230394,003.1,W") + C($"GPGGA,1235{s},4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
            + C($"GNGSA,A,3,04,05,09,,,,,,,,,,2.5,1.3,{vdop}") + C("GNGSA,A,3,,,,,,,,,,,,,2.5,1.3,9.9") + C($"GNGSA,A,3,65,,,,,,,,,,,,2.5,1.3,{vdop}")
            + C("GPGSV,1,1,01,04,40,083,46");
        var fixes = Fixes(Cycle(19, "2.1") + Cycle(20, "2.2") + Cycle(21, "2.3") + Cycle(22, "2.4"));
        Assert.Equal([2.1, 2.2, 2.3, 2.4], fixes.Select(f => f.Vdop!.Value));
        Assert.All(fixes, f => Assert.Equal(4, f.Satellites));
    }

    [Fact]
    public void UntimedSentencesThenStraggler_OfTheEmittedCycle_AreDropped_NotMovedIntoTheNext()
    {
        // RMC, GGA: the end of cycle is learned at GGA. Then GSA and a late GLL of the second just emitted (gp-320fw
        // sends GLL after its GSV now and then): all of them belong to the emitted cycle, none to the next one.
        static string Cycle(int s) =>
            C($"GPRMC,1235{s},A,4807.038,N,01131.000,E,000.0,000.0,230394,003.1,W") + C($"GPGGA,1235{s},4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,");
        var text = Cycle(19) + Cycle(20) + C("GPGSA,A,3,04,05,09,,,,,,,,,,2.5,1.3,2.1") + C("GPGLL,4807.038,N,01131.000,E,123520,A,A") + Cycle(21);
        var fixes = Fixes(text);
        Assert.Equal([new TimeSpan(12, 35, 19), new TimeSpan(12, 35, 20), new TimeSpan(12, 35, 21)], fixes.Select(f => f.TimeOfDay));
        Assert.All(fixes, f => Assert.Null(f.Vdop));
    }

    [Fact]
    public void Psrfepe_ReceiversOwnErrors_ReplaceTheDopEstimates()
    {
        // beidou-bd.log (SiRF-TriG): PSRFEPE opens each cycle with the receiver's EHPE, EVPE, EHVE and EHE; gpsd keeps
        // them as eph, epv, eps and epd (processPSRFEPE()), and so do we, instead of HDOP x 19 m.
        static string Cycle(string t, string lat, string epe) =>
            C($"PSRFEPE,{t},A,1.1,{epe}") + C($"GNGGA,{t},{lat},N,12135.2442,E,1,07,1.1,190.7,M,8.3,M,,0000")
            + C("GPGSA,A,3,25,32,14,12,,,,,,,,,2.1,1.1,1.8") + C($"GNRMC,{t},A,{lat},N,12135.2442,E,0.26,4.94,250215,,,A");
        var fixes = Fixes(Cycle("074156.799", "3114.8950", "64.94,58.97,0.2,180.0") + Cycle("074157.799", "3114.8902", "24.65,25.14,0.1,61.5"));
        Assert.Equal(2, fixes.Count);
        Assert.Equal(new NmeaErrors(0.005, 24.65, 25.14, 2.1 * 19, null, null, 0.1, 61.5), fixes[1].Estimates);
        Assert.Equal(64.94, fixes[0].Estimates.Eph);
        Assert.Equal(180.0, fixes[0].Estimates.Epd);
    }

    [Fact]
    public void Dop99_MeansUnknown_NoErrorEstimateFromIt()
    {
        // sl869.log: GGA and GSA send 99.0 while the fix is weak; gpsd ignores DOPs of 99 and more (processGGA(),
        // processGSA()); an eph of 1,881 m would be a number from nowhere.
        var fix = Assert.Single(Fixes(C("GPRMC,102143.990,A,3340.7753,S,15117.4475,E,6.7,155.8,251112,0.0,W")
            + C("GPGGA,102143.990,3340.7753,S,15117.4475,E,1,03,99.0,063.79,M,22.4,M,,") + C("GNGSA,A,2,10,17,12,,,,,,,,,,99.0,99.0,99.0")));
        Assert.Null(fix.Hdop);
        Assert.Null(fix.Pdop);
        Assert.Null(fix.Vdop);
        Assert.Null(fix.Estimates.Eph);
        Assert.Null(fix.Estimates.Epv);
    }

    [Fact]
    public void CycleWithoutGsa_NoDopsFromAnOlderCyclesSkyView()
    {
        // gp-320fw-2019-03-28.log ends with RMC, VTG, GGA: no GSA, so the used flags in the sky view are the previous
        // cycle's; gpsd publishes no epv there, and we derive nothing from them either.
        static string Cycle(int s, bool gsa) =>
            C($"GPRMC,1235{s},A,4807.038,N,01131.000,E,000.0,000.0,230394,003.1,W") + C($"GPGGA,1235{s},4807.038,N,01131.000,E,1,04,1.3,545.4,M,46.9,M,,")
            + (gsa ? C("GPGSA,A,3,21,06,18,05,,,,,,,,,2.3,1.3,1.9")
                     + C("GPGSV,2,1,05,17,77,041,16,21,76,137,47,09,47,236,18,06,29,277,47") + C("GPGSV,2,2,05,18,20,143,47,05,13,037,47") : "");
        var fixes = Fixes(Cycle(19, true) + Cycle(20, true) + Cycle(21, false));
        Assert.Equal(3, fixes.Count);
        Assert.NotNull(fixes[1].Estimates.Epx); // X/Y DOPs from this cycle's sky view and GSA
        Assert.Null(fixes[2].Estimates.Epx);
        Assert.Null(fixes[2].Estimates.Epv);
        Assert.Equal(1.3 * 19, fixes[2].Estimates.Eph!.Value, 9); // GGA's HDOP is this cycle's
    }
}
