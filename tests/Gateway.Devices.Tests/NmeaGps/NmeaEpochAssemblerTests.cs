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
        var assembler = new NmeaEpochAssembler(stats);
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
        var fixes = Fixes(Gga + "\r\n" + Rmc + "\r\n", stats, flush: false);
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
    public void GsaMode2_OverridesAltitudeRule()
    {
        var fix = Assert.Single(Fixes(C("GNGSA,A,2,04,05,09,,,,,,,,,,2.5,1.3,2.1") + Gga + "\r\n" + Rmc + "\r\n"));
        Assert.Equal(2, fix.Mode);
        Assert.Null(fix.AltitudeMsl);
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
        Assert.Equal(2, Fixes(text).Count); // the second comes with Flush
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
}
