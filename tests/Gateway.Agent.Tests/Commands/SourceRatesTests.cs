using System.Text;
using Gateway.Agent.Commands;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Gateway.Agent.Tests.Support;

namespace Gateway.Agent.Tests.Commands;

/// <summary>
/// set-rate against the drivers the agent really composes from a profile with every source type (on the simulated
/// hardware, whose wrappers the registry must see through; the GPS with a PPS line, whose composite source must say the
/// receiver's reason): which sources accept a rate, and what the others say.
/// </summary>
public sealed class SourceRatesTests : IDisposable
{
    private readonly TempDirectory _state = new("rates");
    private readonly RecordingLogger _log = new();
    private readonly SourceRates _rates;
    private readonly HardwareAccess _hardware;

    public SourceRatesTests()
    {
        var profile = ProfileLoader.Parse(Encoding.UTF8.GetBytes("""
            {
              "gatewayId": "cp-rates", "site": { "name": "A", "latitude": 8.48, "longitude": -13.23 }, "hardware": "simulated",
              "broker": { "host": "127.0.0.1" },
              "sources": [
                { "type": "gps", "name": "gps", "device": "/dev/serial0", "pps": { "gpioChip": 0, "line": 18 } },
                { "type": "bme280", "name": "enclosure", "address": "0x76", "intervalMs": 5000 },
                { "type": "counter", "name": "seq", "ratePerSecond": 2 },
                { "type": "ina219", "name": "battery", "address": "0x40", "maxCurrentAmps": 3.2, "intervalMs": 10000 },
                { "type": "lora", "name": "lora", "dio0Line": 4, "resetLine": 17, "region": "eu868" },
                { "type": "gpio-input", "name": "door", "line": 22, "alarm": true },
                { "type": "cpu-temperature", "name": "soc", "intervalMs": 30000 },
                { "type": "ds18b20", "name": "outside", "device": "28-0316a2790aff", "intervalMs": 60000 }
              ]
            }
            """), "rates.json");
        _rates = new SourceRates(_log);
        _hardware = new SimulatedHardware(profile, _state.Path, new ManualTimeProvider());
        SourceFactory.Create(profile, _hardware, new DeviceEnvironment(_state.Path, new NoEvents(), NullLoggerFactory.Instance), rates: _rates);
    }

    public void Dispose()
    {
        _hardware.Dispose();
        _state.Dispose();
    }

    [Theory]
    [InlineData("seq", 2)]
    [InlineData("enclosure", 0.2)]
    [InlineData("battery", 0.1)]
    [InlineData("soc", 1 / 30.0)]
    [InlineData("outside", 1 / 60.0)]
    public void PolledSources_TakeTheNewRate(string name, double configured)
    {
        Assert.True(_rates.TrySet(name, 0.5, "alice", out var change, out var problem), problem);
        Assert.Equal(configured, change.PreviousPerSecond, 12);
        Assert.Equal(0.5, change.PerSecond);
        var status = _rates.Snapshot().Single(s => s.Name == name);
        Assert.Equal(0.5, status.RatePerSecond);
        Assert.Equal(configured, status.ConfiguredPerSecond!.Value, 12);
    }

    [Theory]
    [InlineData("gps", "set-rate cannot pace 'gps' (gps): this source posts one reading per fix the receiver sends, and the receiver's update rate is set in its firmware by the \"init\" commands of source 'gps' in the profile")]
    [InlineData("lora", "set-rate cannot pace 'lora' (lora): this source posts one reading per frame it receives, and the asset tags decide when they transmit")]
    [InlineData("door", "set-rate cannot pace 'door' (gpio-input): this input posts when its contact changes (an edge")]
    public void SourcesWhoseRateIsNotTheirs_AreRefused_WithWhoDecides(string name, string reason)
    {
        Assert.False(_rates.TrySet(name, 1, "alice", out _, out var problem));
        Assert.StartsWith(reason, problem, StringComparison.Ordinal);
        Assert.Null(_rates.Snapshot().Single(s => s.Name == name).RatePerSecond);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void RateBeyondTheDevice_IsRefused_WithItsLimit_AndChangesNothing()
    {
        Assert.False(_rates.TrySet("enclosure", 500, "alice", out _, out var problem));
        Assert.StartsWith("set-rate cannot run 'enclosure' (bme280) at that rate: 500/s is faster than this device can sample: at most 100/s, because a forced measurement",
            problem, StringComparison.Ordinal);
        Assert.Equal(0.2, _rates.Snapshot().Single(s => s.Name == "enclosure").RatePerSecond!.Value, 12);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void AChange_IsLoggedOnce_AtInformation_WithTheOldAndNewRateAndWhoAsked()
    {
        Assert.True(_rates.TrySet("seq", 50, "alice", out _, out _));
        Assert.True(_rates.TrySet("soc", 0.1, null, out _, out _));

        Assert.Equal(
        [
            (LogLevel.Information, "Source seq (counter) now samples at 50/s instead of 2/s, asked by alice; this lasts until the agent restarts or reloads its profile"),
            (LogLevel.Information, "Source soc (cpu-temperature) now samples at 0.1/s instead of 0.03333/s, asked by an unnamed requester; this lasts until the agent restarts or reloads its profile"),
        ], _log.Lines);
    }

    [Fact]
    public void Snapshot_ListsEverySourceInProfileOrder()
    {
        var all = _rates.Snapshot();
        Assert.Equal(["gps", "enclosure", "seq", "battery", "lora", "door", "soc", "outside"], all.Select(s => s.Name));
        Assert.Equal(["gps", "bme280", "counter", "ina219", "lora", "gpio-input", "cpu-temperature", "ds18b20"], all.Select(s => s.Type));
        Assert.All(all, s => Assert.Equal(s.ConfiguredPerSecond, s.RatePerSecond));
    }

    [Fact]
    public void BeforeTheSourcesAreComposed_SetRateSaysToTryAgain()
    {
        Assert.False(new SourceRates(NullLogger.Instance).TrySet("seq", 1, null, out _, out var problem));
        Assert.Contains("is not running yet", problem, StringComparison.Ordinal);
    }
}
