using System.Text;
using Gateway.Agent.Profiles;
using Gateway.Devices.Gpsd;

namespace Gateway.Agent.Tests.Profiles;

/// <summary>gpsd on both sides of a gps source: <c>"device": "gpsd://HOST:PORT"</c> and the served <c>gpsdPort</c>.</summary>
public sealed class GpsdProfileTests
{
    private static GatewayProfile Parse(string gps) => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        {
          "gatewayId": "cp-1", "hardware": "linux",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "gps", "name": "gps" {{gps}} } ]
        }
        """), "p.json");

    private static GpsSourceProfile Gps(string gps) => Assert.IsType<GpsSourceProfile>(Parse(gps).Sources[0]);

    [Theory]
    [InlineData("gpsd://127.0.0.1:2947", "127.0.0.1", 2947)]
    [InlineData("gpsd://localhost", "localhost", 2947)]
    [InlineData("gpsd://gps-host.site:12947", "gps-host.site", 12947)]
    [InlineData("gpsd://[::1]:2948", "::1", 2948)]
    public void GpsdDevice_ReadsTheEndpoint(string device, string host, int port)
    {
        var gps = Gps($$""", "device": "{{device}}" """);
        Assert.Equal(new GpsdEndpoint(host, port), gps.Gpsd);
        Assert.Null(gps.GpsdPort);
    }

    [Fact]
    public void SerialDevice_HasNoGpsd_AndServesOnlyWhenAsked()
    {
        Assert.Null(Gps(""", "device": "/dev/serial0" """).Gpsd);
        Assert.Null(Gps(""", "device": "/dev/serial0" """).GpsdPort);
        Assert.Equal(2947, Gps(""", "device": "/dev/serial0", "gpsdPort": 2947""").GpsdPort);
    }

    [Theory]
    [InlineData(""", "device": "gpsd://" """, "'sources[0].device' must be gpsd://HOST or gpsd://HOST:PORT")]
    [InlineData(""", "device": "gpsd://host:2947/x" """, "takes no path")]
    [InlineData(""", "device": "gpsd://host:99999" """, "'sources[0].device' must be gpsd://HOST")]
    [InlineData(""", "device": "gpsd://host", "baud": 9600""", "'sources[0].baud' does not apply when the device is gpsd")]
    [InlineData(""", "device": "gpsd://host", "pps": { "line": 18 }""", "'sources[0].pps' does not apply")]
    [InlineData(""", "device": "gpsd://host", "gpsdPort": 2947""", "'sources[0].gpsdPort' does not apply")]
    [InlineData(""", "device": "gpsd://host", "init": ["PMTK220,1000"]""", "'sources[0].init' does not apply")]
    [InlineData(""", "gpsdPort": 80""", "'sources[0].gpsdPort' must be between 1024 and 65535; got 80")]
    public void BadGpsdSettings_NameTheKey(string gps, string message)
    {
        var ex = Assert.Throws<ProfileException>(() => Parse(gps));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
