using Gateway.Devices.NmeaGps;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Serial;
using Gateway.Hardware.Simulation;
using Gateway.Hardware.Simulation.Nmea;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;

namespace Gateway.Devices.Tests.NmeaGps;

public sealed class NmeaGpsSourceTests
{
    private static readonly SimulatedSite Site = new(-1.2921, 36.8219, 1795);

    [Fact]
    public async Task RunAsync_OverSimulatedReceiver_PostsOnePlausibleReadingPerEpochWithFix()
    {
        var start = new DateTimeOffset(2026, 3, 1, 23, 59, 55, TimeSpan.Zero);
        var time = new ManualTimeProvider(start);
        await using var receiver = new SimulatedGpsReceiver(Site, time, new SimulatedGpsOptions { StartWithoutFix = true, EpochsWithoutFix = 2, Seed = 7 });
        var source = new NmeaGpsSource("gps", receiver);
        var sink = new RecordingSink();
        NmeaTimeFix? raised = null;
        source.FixTimeReceived += f => raised = f;
        using var cts = new CancellationTokenSource();

        var running = source.RunAsync(SourceRunner.Context(sink, time), cts.Token);
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(250), () => sink.Count >= 10, running);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var readings = sink.Snapshot();
        Assert.Same(Measurements.Gps, source.Schema);
        foreach (var r in readings)
        {
            var v = r.Values;
            var north = (v[0] - Site.Latitude) * 111_320;
            var east = (v[1] - Site.Longitude) * 111_320 * Math.Cos(Site.Latitude * Math.PI / 180);
            Assert.InRange(Math.Sqrt((north * north) + (east * east)), 100, 200);
            Assert.InRange(v[2], Site.AltitudeMeters - 5, Site.AltitudeMeters + 5);
            Assert.InRange(v[3], 0.5, 1.2);     // a 150 m loop in 20 min is 0.79 m/s
            Assert.InRange(v[4], 0, 360);
            Assert.InRange(v[5], 0.8, 1.6);
            Assert.InRange(v[6], 7, 12);
            Assert.Equal(3, v[7]);
        }
        Assert.Equal(readings.Count, (int)source.Statistics.Fixes);
        Assert.Equal(0, source.Statistics.ChecksumErrors + source.Statistics.Malformed + source.Statistics.GarbageBytes);
        // Epochs 1 and 2 had no fix: the first reading is from the third epoch, and readings are 1 s apart.
        Assert.Equal(TimeSpan.FromSeconds(2).Ticks, readings[0].MonotonicTimestamp);
        Assert.Equal(TimeSpan.FromSeconds(1).Ticks, readings[1].MonotonicTimestamp - readings[0].MonotonicTimestamp);
        // UTC for the clock discipline comes from the sentences, across midnight too.
        var last = source.LastFixUtc!.Value;
        Assert.Equal(raised, last);
        Assert.Equal(start + TimeSpan.FromTicks(last.MonotonicTimestamp), last.Utc);
    }

    [Fact]
    public async Task RunAsync_DeviceGone_EndsWithIOExceptionNamingTheDevice()
    {
        var source = new NmeaGpsSource("gps", new ScriptedDevice("/dev/ttyAMA0", ["$GPGGA,1"u8.ToArray(), [0, 0, 0]]));
        var sink = new RecordingSink();
        var e = await Assert.ThrowsAsync<IOException>(() => source.RunAsync(SourceRunner.Context(sink, TimeProvider.System), CancellationToken.None));
        Assert.Contains("/dev/ttyAMA0", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, source.Statistics.GarbageBytes);  // the NULs
        Assert.Equal(1, source.Statistics.Malformed);     // the line they cut
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public async Task RunAsync_ByteAtATime_SameReadingsAsWholeLines()
    {
        var text = NmeaTestBytes.Gga + "\r\n" + NmeaTestBytes.Rmc + "\r\n";
        var chunks = NmeaTestBytes.Ascii(text).Select(b => new[] { b }).ToList();
        var source = new NmeaGpsSource("gps", new ScriptedDevice("sim", chunks));
        var sink = new RecordingSink();
        await Assert.ThrowsAsync<IOException>(() => source.RunAsync(SourceRunner.Context(sink, TimeProvider.System), CancellationToken.None));
        var reading = Assert.Single(sink.Snapshot());
        Assert.Equal(48.1173, reading.Values[0], 4);
        Assert.Equal(545.4, reading.Values[2]);
        Assert.Equal(3, reading.Values[7]);
    }
}
