using System.Text;
using Gateway.Agent.Profiles;
using Gateway.Devices.Pps;
using Gateway.Hardware.Gpio;

namespace Gateway.Agent.Tests.Profiles;

/// <summary>The gps source's optional <c>pps</c> key: the receiver's pulse per second on a GPIO line.</summary>
public sealed class GpsPpsProfileTests
{
    private static GatewayProfile Parse(string gpsExtra, string otherSources = "") => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        {
          "gatewayId": "cp-1", "hardware": "linux",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "gps", "name": "gps", "device": "/dev/serial0" {{gpsExtra}} } {{otherSources}} ]
        }
        """), "p.json");

    private static GpsSourceProfile Gps(string gpsExtra) => Assert.IsType<GpsSourceProfile>(Parse(gpsExtra).Sources[0]);

    [Fact]
    public void NoPps_IsNull()
    {
        Assert.Null(Gps("").Pps);
        Assert.Null(Gps(""", "pps": null""").Pps);
    }

    [Fact]
    public void LineOnly_DefaultsToChip0AndTheRisingEdge()
    {
        Assert.Equal(new GpsPpsProfile(0, new PpsOptions(18, GpioEdge.Rising)), Gps(""", "pps": { "line": 18 }""").Pps);
    }

    [Fact]
    public void AllKeys_AreRead()
    {
        Assert.Equal(new GpsPpsProfile(1, new PpsOptions(5, GpioEdge.Falling)), Gps(""", "pps": { "gpioChip": 1, "line": 5, "edge": "falling" }""").Pps);
    }

    [Theory]
    [InlineData(""", "pps": { }""", "'sources[0].pps.line' is required")]
    [InlineData(""", "pps": { "line": 1024 }""", "'sources[0].pps.line' must be between 0 and 1023; got 1024")]
    [InlineData(""", "pps": { "line": -1 }""", "'sources[0].pps.line' must be between 0 and 1023; got -1")]
    [InlineData(""", "pps": { "line": "18" }""", "'sources[0].pps.line' must be a whole number; got \"18\"")]
    [InlineData(""", "pps": { "line": 18, "gpioChip": 32 }""", "'sources[0].pps.gpioChip' must be between 0 and 31; got 32")]
    [InlineData(""", "pps": { "line": 18, "edge": "both" }""", "'sources[0].pps.edge' must be rising or falling")]
    [InlineData(""", "pps": { "line": 18, "pin": 12 }""", "'sources[0].pps.pin' is not a known setting here")]
    [InlineData(""", "pps": 18""", "'sources[0].pps' must be a JSON object; got 18")]
    public void BadPps_NamesTheKey(string gpsExtra, string message)
    {
        var ex = Assert.Throws<ProfileException>(() => Parse(gpsExtra));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PpsOnALineAnotherSourceUses_IsAConflict()
    {
        var ex = Assert.Throws<ProfileException>(() => Parse(""", "pps": { "line": 4 }""",
            """, { "type": "lora", "name": "lora", "region": "eu868", "gpioChip": 0, "dio0Line": 4 }"""));
        Assert.Contains("'sources' gpiochip0 line 4 is used by both 'gps.pps' and 'lora'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameLineOnAnotherChip_IsNoConflict()
    {
        var profile = Parse(""", "pps": { "gpioChip": 1, "line": 22 }""",
            """, { "type": "gpio-input", "name": "door", "gpioChip": 0, "line": 22 }""");
        Assert.Equal(2, profile.Sources.Count);
    }
}
