using System.Buffers;
using Gateway.Devices.NmeaGps;
using static Gateway.Devices.Tests.NmeaGps.NmeaTestBytes;

namespace Gateway.Devices.Tests.NmeaGps;

public sealed class NmeaDecoderTests
{
    private delegate T Decode<T>(NmeaSentence s);

    private static T With<T>(string line, Decode<T> decode)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii(line + "\r\n")));
        Assert.True(NmeaSentenceReader.TryRead(ref reader, out var s), $"not a valid sentence: {line}");
        return decode(s);
    }

    private static string Checksummed(string body) => $"${body}*{body.Aggregate(0, (x, c) => x ^ c):X2}";

    [Fact]
    public void Gga_Golden_DecodesEveryField()
    {
        var (ok, gga) = With(Gga, s => (GgaSentence.TryParse(s, out var g), g));
        Assert.True(ok);
        Assert.Equal(new TimeSpan(12, 35, 19), gga.Time);
        Assert.Equal(48 + (7.038 / 60), gga.Latitude!.Value, 9);
        Assert.Equal(11 + (31.0 / 60), gga.Longitude!.Value, 9);
        Assert.Equal(1, gga.FixQuality);
        Assert.Equal(8, gga.Satellites);
        Assert.Equal(0.9, gga.Hdop);
        Assert.Equal(545.4, gga.AltitudeMsl);
        Assert.Equal(46.9, gga.GeoidSeparation);
        Assert.True(gga.HasFix);
    }

    [Fact]
    public void Rmc_Golden_DecodesEveryField()
    {
        var (ok, rmc) = With(Rmc, s => (RmcSentence.TryParse(s, out var r), r));
        Assert.True(ok);
        Assert.True(rmc.Valid);
        Assert.Equal(22.4 * 1852 / 3600, rmc.SpeedMetersPerSecond!.Value, 9);
        Assert.Equal(84.4, rmc.CourseDegrees);
        Assert.Equal(new DateOnly(1994, 3, 23), rmc.Date);
        Assert.Equal(new DateTimeOffset(1994, 3, 23, 12, 35, 19, TimeSpan.Zero), rmc.UtcTime);
        Assert.True(rmc.HasFix);
    }

    [Theory]
    [InlineData("GP")]
    [InlineData("GN")]
    [InlineData("GL")]
    [InlineData("GA")]
    [InlineData("GB")]
    [InlineData("BD")]
    [InlineData("QZ")]
    public void Decoders_AnyTalker_Decode(string talker)
    {
        var gga = Checksummed(talker + Gga[3..^3]);
        var rmc = Checksummed(talker + Rmc[3..^3]);
        Assert.True(With(gga, s => GgaSentence.TryParse(s, out _)));
        Assert.True(With(rmc, s => RmcSentence.TryParse(s, out _)));
        Assert.False(With(gga, s => RmcSentence.TryParse(s, out _)));
    }

    [Theory]
    [InlineData("GPGGA,123519,4807.038,S,01131.000,W,1,08,0.9,545.4,M,46.9,M,,", -48.1173, -11.51667)]
    [InlineData("GPGGA,000000.000,0000.000,N,18000.000,E,1,08,0.9,0,M,,M,,", 0.0, 180.0)]
    public void Gga_Hemispheres_GiveSignedDegrees(string body, double lat, double lon)
    {
        var gga = With(Checksummed(body), s => { Assert.True(GgaSentence.TryParse(s, out var g)); return g; });
        Assert.Equal(lat, gga.Latitude!.Value, 4);
        Assert.Equal(lon, gga.Longitude!.Value, 4);
    }

    [Theory]
    [InlineData("GPGGA,256000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")]   // hour 25
    [InlineData("GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")]   // 67 minutes
    [InlineData("GPGGA,123519,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")]   // hemisphere X
    [InlineData("GPGGA,123519,4807.038,N,18131.000,E,1,08,0.9,545.4,M,46.9,M,,")]   // longitude > 180
    [InlineData("GPGGA,123519,4807.038,N,01131.000,E,1,x8,0.9,545.4,M,46.9,M,,")]   // satellites not a number
    [InlineData("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,5e999,M,46.9,M,,")]   // altitude not finite
    public void Gga_InvalidField_ReturnsFalse(string body) =>
        Assert.False(With(Checksummed(body), s => GgaSentence.TryParse(s, out _)));

    [Theory]
    [InlineData("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,320394,003.1,W")] // 32nd day
    [InlineData("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,2303944,003.1,W")]
    [InlineData("GPRMC,123519,AV,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")]
    public void Rmc_InvalidField_ReturnsFalse(string body) =>
        Assert.False(With(Checksummed(body), s => RmcSentence.TryParse(s, out _)));

    [Fact]
    public void Rmc_NoFix_EmptyFieldsAreNullAndNotAFix()
    {
        var rmc = With(Checksummed("GPRMC,235959.00,V,,,,,,,311299,,,N"), s => { Assert.True(RmcSentence.TryParse(s, out var r)); return r; });
        Assert.False(rmc.HasFix);
        Assert.Null(rmc.Latitude);
        Assert.Equal(new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero), rmc.UtcTime);
    }

    [Fact]
    public void Gsa_DecodesModeDopsAndSatelliteCount()
    {
        var gsa = With(Checksummed("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1"), s => { Assert.True(GsaSentence.TryParse(s, out var g)); return g; });
        Assert.Equal((3, 5, 2.5, 1.3, 2.1), (gsa.Mode, gsa.SatellitesUsed, gsa.Pdop!.Value, gsa.Hdop!.Value, gsa.Vdop!.Value));
        Assert.Equal(GnssSystem.Gps, gsa.System);
        var ids = gsa.Ids;
        Assert.Equal([4, 5, 9, 12, 24], ((ReadOnlySpan<short>)ids)[..5].ToArray().Select(i => (int)i));
    }
}
