using System.Text;
using Gateway.Devices.Gpsd;

namespace Gateway.Devices.Tests.Gpsd;

public sealed class GpsdJsonParserTests
{
    /// <summary>A TPV as Debian's gpsd 3.22 wrote it for cat-ms352.log (captured with gpspipe -w).</summary>
    private const string Tpv322 = """{"class":"TPV","device":"/tmp/gps","status":2,"mode":3,"time":"2022-11-23T11:39:39.000Z","ept":0.005,"lat":38.714334381,"lon":-117.090607617,"altHAE":1819.8760,"altMSL":1864.1720,"alt":1864.1720,"track":235.9200,"magtrack":875.8200,"magvar":999.9,"speed":0.023,"climb":-0.020,"geoidSep":-44.296,"eph":7.125,"dgpsAge":1.0,"dgpsSta":0}""";

    private const string Sky322 = """{"class":"SKY","device":"/tmp/gps","xdop":0.51,"ydop":0.66,"vdop":1.03,"tdop":0.61,"hdop":0.84,"gdop":1.46,"pdop":1.33,"nSat":12,"uSat":11,"satellites":[{"PRN":9,"el":88.0,"az":89.0,"ss":31.0,"used":true,"gnssid":0,"svid":9},{"PRN":7,"el":60.0,"az":281.0,"ss":44.0,"used":false,"gnssid":0,"svid":7}]}""";

    [Fact]
    public void Tpv_FromGpsd322_ReadsTheFix()
    {
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(Tpv322), out var r));
        Assert.Equal(GpsdClass.Tpv, r.Class);
        Assert.True(r.HasFix);
        Assert.Equal(new DateTimeOffset(2022, 11, 23, 11, 39, 39, TimeSpan.Zero), r.Time);
        Assert.Equal((3, 2), (r.Mode!.Value, r.Status!.Value));
        Assert.Equal((38.714334381, -117.090607617, 1864.172), (r.Latitude!.Value, r.Longitude!.Value, r.AltitudeMsl!.Value));
        Assert.Equal((0.023, 235.92, -0.02, 7.125), (r.Speed!.Value, r.Track!.Value, r.Climb!.Value, r.Eph!.Value));
        Assert.Null(r.Epv); // not in this report: absent, not zero
        Assert.Null(r.Hdop);
    }

    [Fact]
    public void Sky_ReadsDopsAndCounts_FromUSatOrFromTheList()
    {
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(Sky322), out var r));
        Assert.Equal(GpsdClass.Sky, r.Class);
        Assert.Equal((0.84, 1.33, 1.03), (r.Hdop!.Value, r.Pdop!.Value, r.Vdop!.Value));
        Assert.Equal((11, 12), (r.SatellitesUsed!.Value, r.SatellitesSeen!.Value));
        Assert.Null(r.Time);

        var listed = Sky322.Replace("\"nSat\":12,\"uSat\":11,", "", StringComparison.Ordinal);
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(listed), out r));
        Assert.Equal((1, 2), (r.SatellitesUsed!.Value, r.SatellitesSeen!.Value));
    }

    [Fact]
    public void PpsAndToff_ReadTheTrueAndTheSystemClockTimes()
    {
        const string pps = """{"class":"PPS","device":"/dev/pps0","real_sec":1700000000,"real_nsec":0,"clock_sec":1700000000,"clock_nsec":250000,"precision":-20}""";
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(pps), out var r));
        Assert.Equal(GpsdClass.Pps, r.Class);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), r.RealTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(2500), r.ClockTime);
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(pps.Replace("PPS", "TOFF", StringComparison.Ordinal)), out r));
        Assert.Equal(GpsdClass.Toff, r.Class);
    }

    [Theory]
    [InlineData("""{"class":"GST","lat":120.5,"lon":-300,"alt":2.0}""")] // GST's lat/lon are errors in metres
    [InlineData("""{"class":"VERSION","release":"3.22","rev":"3.22","proto_major":3,"proto_minor":14}""")]
    [InlineData("""{"class":"DEVICES","devices":[{"class":"DEVICE","path":"/dev/ttyS0","mode":"x"}]}""")]
    [InlineData("""{"class":"ATT","time":1234.5,"mode":"whatever"}""")]
    public void OtherClasses_AreReports_WhateverTheirMembers(string line)
    {
        Assert.True(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(line), out var r));
        Assert.False(r.HasFix);
        Assert.Null(r.Latitude);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"class":"TPV","mode":3,"lat":38.7""")]          // truncated
    [InlineData("""[{"class":"TPV"}]""")]                            // not an object
    [InlineData("""{"mode":3,"lat":1,"lon":2}""")]                   // no class
    [InlineData("""{"class":3}""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":"38.7","lon":2}""")] // wrong type
    [InlineData("""{"class":"TPV","mode":3,"lat":91,"lon":2}""")]     // out of range
    [InlineData("""{"class":"TPV","mode":3,"lat":1,"lon":-180.5}""")]
    [InlineData("""{"class":"TPV","mode":7}""")]
    [InlineData("""{"class":"TPV","mode":2.5}""")]
    [InlineData("""{"class":"TPV","time":"yesterday"}""")]
    [InlineData("""{"class":"SKY","uSat":-1}""")]
    [InlineData("""{"class":"PPS","real_sec":1,"real_nsec":1000000000,"clock_sec":1,"clock_nsec":0}""")]
    [InlineData("""{"class":"TPV"}{"class":"TPV"}""")]             // two objects on one line
    [InlineData("""{"class":"TPV"} trailing""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":1e999,"lon":0}""")]
    [InlineData("\u0001\u0002\u0003 binary")]
    public void Malformed_ReturnsFalse(string line) =>
        Assert.False(GpsdJsonParser.TryParse(Encoding.UTF8.GetBytes(line), out _));

    [Fact]
    public void DeepNesting_IsMalformed_NotAStackDive()
    {
        var deep = "{\"class\":\"TPV\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";
        Assert.False(GpsdJsonParser.TryParse(Encoding.ASCII.GetBytes(deep), out _));
    }

    [Fact]
    public void RandomBytesAndMutatedReports_NeverThrow()
    {
        var random = new Random(16);
        var valid = Encoding.ASCII.GetBytes(Tpv322 + Sky322);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            if (i % 2 == 0) random.NextBytes(bytes);
            else
            {
                bytes = valid[..random.Next(valid.Length)];
                for (var m = 0; m < 3 && bytes.Length > 0; m++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            _ = GpsdJsonParser.TryParse(bytes, out _); // false or a report; never an exception
        }
    }
}
