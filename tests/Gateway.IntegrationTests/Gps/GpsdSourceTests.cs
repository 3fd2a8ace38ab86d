using Gateway.Devices.Gpsd;
using Gateway.Devices.NmeaGps;
using Gateway.Telemetry.Readings;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Gps;

/// <summary>
/// Issue 16 item 3, the source side: a real gpsd (Debian's) reads a receiver's log played into a pseudo-terminal, and
/// the gps source with <c>"device": "gpsd://127.0.0.1:PORT"</c> posts gpsd's fixes; when gpsd restarts, the source
/// reconnects by itself and goes on.
/// </summary>
public sealed class GpsdSourceTests
{
    private const string Log = "mt3339.log"; // Adafruit Ultimate GPS HAT: GGA, GSA, GSV, RMC, ZDA at 1 Hz
    private const int Baud = 9600;
    private const double Speed = 5;            // gpsd does not mind a fast receiver; the test stays short

    [Fact]
    public async Task RealGpsd_FixesPostedAsReadings_ReconnectsWhenGpsdRestarts()
    {
        var path = Path.Combine(SharedTestData.Directory("gpsd"), Log);
        var before = new NmeaLogPlayer(path, 12, untimed: true);
        var after = new NmeaLogPlayer(path, 12, skipCycles: 12, untimed: true);
        var expected = ReferenceFixes([.. before.Bytes, .. after.Bytes]);

        using var dir = new TempDirectory("gpsd-source");
        using var ptys = PtyPair.Start(dir.Path);
        await using var gpsd = await GpsdServer.StartAsync(ptys.DevicePath);
        var sink = new Sink();
        var logger = new RecordingLogger();
        var source = new GpsdSource("gps", new GpsdEndpoint("127.0.0.1", gpsd.Port));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var running = source.RunAsync(new SourceContext(new SourceId(1), sink, TimeProvider.System, logger), stop.Token);

        await WaitAsync(() => source.Statistics.Reports >= 2, running, gpsd, "gpsd's VERSION and WATCH"); // ?WATCH is in
        await using (var feed = ptys.OpenFeed()) await before.PlayAsync(feed, Baud, cts.Token, Speed);
        await WaitAsync(() => sink.Count >= 8, running, gpsd, "fixes before the restart");
        var first = sink.Count;

        await gpsd.RestartAsync();
        await WaitAsync(() => source.Statistics.Connects >= 2, running, gpsd, "the reconnection");
        await using (var feed = ptys.OpenFeed()) await after.PlayAsync(feed, Baud, cts.Token, Speed);
        await WaitAsync(() => sink.Count >= first + 8, running, gpsd, "fixes after the restart");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        // Every reading is one of the log's fixes as our own decoder reads it: gpsd's position to its 9 decimals. gpsd's
        // first report after it (re)opens the device may lack the altitude (it missed that cycle's GGA while it probed
        // the port): then the reading has none (NaN), never a made-up one.
        var readings = sink.Snapshot();
        foreach (var r in readings)
        {
            Assert.True(expected.Exists(f => Math.Abs(f.Latitude!.Value - r.Values[0]) < 1e-8 && Math.Abs(f.Longitude!.Value - r.Values[1]) < 1e-8
                && (double.IsNaN(r.Values[2]) || Math.Abs(f.AltitudeMsl!.Value - r.Values[2]) < 1e-3)), $"not a fix of the log: {string.Join(", ", Enumerable.Range(0, 8).Select(i => r.Values[i]))}");
            Assert.Equal(3, r.Values[7]);
        }
        Assert.True(readings.Count(r => double.IsNaN(r.Values[2])) <= 2, "more than gpsd's first report after each start lacks an altitude");
        // SKY came with some cycles (the receiver's GSV every few seconds): their readings carry hdop and satellites.
        Assert.Contains(readings, r => r.Values[5] is > 0.5 and < 2 && r.Values[6] is >= 4 and <= 12);
        var s = source.Statistics;
        Assert.True(s.Disconnects >= 1 && s.Malformed == 0 && s.Oversized == 0, s.ToString());
        Assert.Single(logger.Lines, l => l.Message.Contains("closed the connection", StringComparison.Ordinal));
    }

    private static async Task WaitAsync(Func<bool> done, Task running, GpsdServer gpsd, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (running.IsCompleted) await running;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"no {what} within 30 s; gpsd said:\n{gpsd.Output}");
            await Task.Delay(20);
        }
    }

    private static List<NmeaFix> ReferenceFixes(byte[] played)
    {
        var fixes = new List<NmeaFix>();
        using var input = new MemoryStream(played);
        new NmeaLogReplay(new DateOnly(2015, 4, 13)).Run(input, fix => { if (fix.HasFix) fixes.Add(fix); });
        return fixes;
    }

    private sealed class Sink : IReadingSink
    {
        private readonly List<Reading> _readings = [];

        public int Count
        {
            get { lock (_readings) return _readings.Count; }
        }

        public bool TryWrite(in Reading reading)
        {
            lock (_readings) _readings.Add(reading);
            return true;
        }

        public List<Reading> Snapshot()
        {
            lock (_readings) return [.. _readings];
        }
    }
}
