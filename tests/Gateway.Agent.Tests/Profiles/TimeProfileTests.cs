using System.Text;
using Gateway.Agent.Profiles;
using Gateway.Telemetry.Time;

namespace Gateway.Agent.Tests.Profiles;

public sealed class TimeProfileTests
{
    private static GatewayProfile Parse(string timeSection, string hardware = "simulated") => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        {
          "gatewayId": "cp-1", "hardware": "{{hardware}}",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "counter", "name": "seq", "ratePerSecond": 5 } ]
          {{timeSection}}
        }
        """), "p.json");

    [Fact]
    public void NoTimeSection_GivesTheDefaults()
    {
        var time = Parse("").Time;
        Assert.Equal(TimeProfile.Default, time);
        Assert.Equal(new TimeProfile(TimeSourcePolicy.GpsOrSystem, SystemClockTrust.Auto, 10_000, TimeSpan.FromMinutes(5)), time);
    }

    [Theory]
    [InlineData("gps", TimeSourcePolicy.Gps)]
    [InlineData("system", TimeSourcePolicy.System)]
    [InlineData("gps-or-system", TimeSourcePolicy.GpsOrSystem)]
    public void Source_IsRead(string text, TimeSourcePolicy expected) =>
        Assert.Equal(expected, Parse($$""", "time": { "source": "{{text}}" }""").Time.Source);

    [Fact]
    public void AllKeys_AreRead()
    {
        var time = Parse(""", "time": { "source": "gps", "systemClock": "ntp", "holdMaxReadings": 0, "holdMaxSeconds": 30 }""").Time;
        Assert.Equal(new TimeProfile(TimeSourcePolicy.Gps, SystemClockTrust.Ntp, 0, TimeSpan.FromSeconds(30)), time);
    }

    [Fact]
    public void ChronySockets_AreRead()
    {
        var time = Parse(""", "time": { "chronySocket": "/run/gateway-chrony/gps.sock", "chronyPpsSocket": "/run/gateway-chrony/pps.sock" }""").Time;
        Assert.Equal("/run/gateway-chrony/gps.sock", time.ChronySocket);
        Assert.Equal("/run/gateway-chrony/pps.sock", time.ChronyPpsSocket);
        Assert.Null(Parse("").Time.ChronySocket);
    }

    [Theory]
    [InlineData(""", "time": { "source": "ntp" }""", "'time.source' must be one of gps, system, gps-or-system; got 'ntp'")]
    [InlineData(""", "time": { "systemClock": "yes" }""", "'time.systemClock' must be one of auto, ntp, always; got 'yes'")]
    [InlineData(""", "time": { "holdMaxReadings": -1 }""", "'time.holdMaxReadings' must be between 0 and 1000000; got -1")]
    [InlineData(""", "time": { "holdMaxSeconds": 100000 }""", "'time.holdMaxSeconds' must be between 0 and 86400; got 100000")]
    [InlineData(""", "time": { "hold": 1 }""", "'time.hold' is not a known setting here")]
    [InlineData(""", "time": { "chronySocket": "run/gps.sock" }""", "'time.chronySocket' must be an absolute path of at most 107 bytes")]
    [InlineData(""", "time": 5""", "'time' must be a JSON object")]
    public void BadTimeSection_NamesTheKey(string section, string message)
    {
        var ex = Assert.Throws<ProfileException>(() => Parse(section));
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData(SystemClockTrust.Auto, HardwareMode.Simulated, SystemClockTrust.Always)]
    [InlineData(SystemClockTrust.Auto, HardwareMode.Linux, SystemClockTrust.Ntp)]
    [InlineData(SystemClockTrust.Ntp, HardwareMode.Simulated, SystemClockTrust.Ntp)]
    [InlineData(SystemClockTrust.Always, HardwareMode.Linux, SystemClockTrust.Always)]
    public void AutoSystemClock_TrustsOnlyASimulationsClockWithoutAsking(SystemClockTrust configured, HardwareMode hardware, SystemClockTrust expected) =>
        Assert.Equal(expected, (TimeProfile.Default with { SystemClock = configured }).ResolveSystemClock(hardware));
}
