using System.Globalization;
using Gateway.Devices.NmeaGps;
using static Gateway.Devices.Tests.NmeaGps.NmeaEpochAssemblerTests;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// Which sentences feed a fix's DOPs and error estimates, as gpsd merges them: untimed sentences after a cycle's last
/// timed one belong to that cycle (com-1289.log, triton400.log), DOPs come from the sky only when the cycle updated it,
/// and the receiver's GBS errors (not GST's deviations) replace DOP times UERE (skytraq-fixB.log, ublox-neo-m9n-nmea.log).
/// </summary>
public sealed class NmeaCycleInputsTests
{
    private static string C(string body) => $"${body}*{body.Aggregate(0, (x, c) => x ^ c):X2}\r\n";

    private static string Time(int i) => $"1435{i:00}.00";

    private static string Dop(int i) => (1 + (0.1 * i)).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Eurotech Com-1289 order: RMC, GGA, then GSA and GSV, untimed, after the last timed sentence.</summary>
    private static string TrailingCycle(int i) =>
        C($"GPRMC,{Time(i)},A,4806.3731,N,00138.6217,W,0.00,266.5,121007,2.6,W,A")
        + C($"GPGGA,{Time(i)},4806.3731,N,00138.6217,W,1,10,1.1,42.2,M,48.5,M,,")
        + C($"GPGSA,A,3,05,06,07,10,,,,,,,,,1.7,1.1,{Dop(i)}");

    [Fact]
    public void UntimedSentencesAfterTheLastTimedOne_BelongToThatCycle_NeverToTheNext()
    {
        var text = string.Concat(Enumerable.Range(0, 5).Select(TrailingCycle));
        // Without the final flush the last cycle stays open: its GSA may still be followed by more of the cycle.
        var open = Fixes(text, flush: false);
        Assert.Equal(4, open.Count);
        var fixes = Fixes(text);
        Assert.Equal(5, fixes.Count);
        for (var i = 0; i < fixes.Count; i++)
        {
            Assert.Equal(new TimeSpan(0, 14, 35, i), fixes[i].TimeOfDay);
            Assert.Equal(1 + (0.1 * i), fixes[i].Vdop!.Value, 9); // its own GSA's, not the previous cycle's
            Assert.Equal((1 + (0.1 * i)) * 23, fixes[i].Estimates.Epv!.Value, 9);
        }
    }

    [Fact]
    public void CycleWithoutGsaOrGsv_HasNoDopsFromAnOlderSky()
    {
        var sky = C("GPGSA,A,3,04,05,12,14,,,,,,,,,2.5,1.3,2.1")
                  + C("GPGSV,1,1,04,04,40,083,46,05,17,308,41,12,07,344,39,14,22,228,45");
        var text = C("GPGGA,123519,4807.038,N,01131.000,E,1,04,0.9,545.4,M,46.9,M,,") + sky
                   + C("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
                   + C("GPGGA,123520,4807.038,N,01131.000,E,1,04,0.9,545.4,M,46.9,M,,")
                   + C("GPRMC,123520,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W");
        var fixes = Fixes(text);
        Assert.Equal(2, fixes.Count);
        Assert.NotNull(fixes[0].Estimates.Epx); // X/Y DOPs from this cycle's sky view
        Assert.Equal(2.1 * 23, fixes[0].Estimates.Epv!.Value, 9);
        Assert.Null(fixes[1].Estimates.Epx); // the sky view is the first cycle's: no X/Y DOPs, so no epx/epy
        Assert.Null(fixes[1].Estimates.Epy);
        Assert.Null(fixes[1].Estimates.Epv); // no VDOP of its own
        Assert.Equal(0.9 * 19, fixes[1].Estimates.Eph!.Value, 9); // GGA's HDOP is this cycle's
    }

    [Fact]
    public void GbsErrors_AreTheEstimates_GstDeviationsAreOnlyReported()
    {
        // isync.log's second cycle: GST lat/lon/alt 0.70/0.49/1.1, GBS 0.7/0.5/1.1; gpsd: epx 0.500 epy 0.700 epv 1.100.
        var cycle = C("GPGGA,131520.00,4153.85991,N,08738.63642,W,2,12,0.93,218.1,M,-33.8,M,,0000")
                    + C("GPGSA,A,3,20,29,13,15,21,05,18,02,51,26,16,30,1.57,0.93,1.26")
                    + C("GPGST,131520.00,18,,,,0.70,0.49,1.1")
                    + C("GPRMC,131520.00,A,4153.85991,N,08738.63642,W,0.049,,030216,,,D");
        var withGbs = Assert.Single(Fixes(cycle + C("GPGBS,131520.00,0.7,0.5,1.1,02,,30.0,14.8")));
        Assert.Equal(0.5, withGbs.Estimates.Epx);
        Assert.Equal(0.7, withGbs.Estimates.Epy);
        Assert.Equal(1.1, withGbs.Estimates.Epv);
        Assert.Equal(0.49, withGbs.Errors!.Value.LongitudeError); // GST is still the fix's, for the GST report
        var gstOnly = Assert.Single(Fixes(cycle));
        Assert.Equal(1.26 * 5.75, gstOnly.Estimates.Epv!.Value, 9); // DGPS: VDOP x 5.75, as gpsd (skytraq-fixB.log)
        Assert.Null(gstOnly.Estimates.Epx); // no sky view: no X DOP
    }

    [Theory]
    [InlineData("GPGBS,131520.00,0.7,0.5,1.1,02,,30.0,14.8", true, 0.7, 0.5, 1.1)]
    [InlineData("GNGBS,223745.00,1.0,1.0,3.1,,,,,,", true, 1.0, 1.0, 3.1)]
    [InlineData("GPGBS,131520.00,,,,,,,", true, null, null, null)]
    [InlineData("GPGBS,131520.00,x,0.5,1.1,,,,", false, null, null, null)]
    public void Gbs_Parses(string body, bool ok, double? lat, double? lon, double? alt)
    {
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(NmeaTestBytes.Ascii(C(body))));
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var sentence));
        Assert.Equal(ok, GbsSentence.TryParse(sentence, out var gbs));
        if (!ok) return;
        Assert.Equal((lat, lon, alt), (gbs.LatitudeError, gbs.LongitudeError, gbs.AltitudeError));
        Assert.NotNull(gbs.Time);
    }
}
