using System.Net.Sockets;
using Gateway.Devices.Gpsd;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Tests.Support;
using Gateway.Telemetry.Readings;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Gpsd;

public sealed class GpsdSourceTests
{
    private const string Tpv = """{"class":"TPV","device":"/dev/ttyS0","status":2,"mode":3,"time":"2034-11-27T20:26:40.000Z","lat":44.068843333,"lon":-121.314191667,"altMSL":1127.7,"alt":1127.7,"track":225.97,"speed":0.015}""";
    private const string Tpv2 = """{"class":"TPV","device":"/dev/ttyS0","mode":3,"time":"2034-11-27T20:26:41.000Z","lat":44.068841667,"lon":-121.314191667,"altMSL":1127.8,"track":201.71,"speed":0.005}""";
    private const string Sky = """{"class":"SKY","device":"/dev/ttyS0","hdop":0.84,"pdop":1.33,"vdop":1.03,"nSat":12,"uSat":11}""";

    [Fact]
    public async Task HostileGpsd_BadLinesCountedAndLoggedOnce_FixesStillPosted_Reconnects()
    {
        await using var gpsd = new FakeGpsd(
            async (s, t) =>
            {
                await FakeGpsd.WriteAsync(s, """{"class":"VERSION","release":"3.22","proto_major":3,"proto_minor":14}""" + "\n", t);
                await FakeGpsd.WriteAsync(s, "{\"class\":\"TPV\",\"mode\":3,\n", t);                   // malformed
                await s.WriteAsync(new byte[] { 0xFF, 0x00, 0x7B, 0x22, 0x0A }, t);                     // random bytes
                await FakeGpsd.WriteAsync(s, "{\"class\":\"TPV\",\"x\":\"" + new string('A', 40_000), t); // endless line...
                await FakeGpsd.WriteAsync(s, "\"}\n" + Tpv + "\n" + "{\"class\":\"TPV\",\"lat\":99}\n", t); // ...ends; a fix; out of range
                await FakeGpsd.WriteAsync(s, "{\"class\":\"TPV\",\"mode\":3,\"lat\":", t);              // truncated by the close
            },
            async (s, t) =>
            {
                await FakeGpsd.WriteAsync(s, Tpv2 + "\n" + Sky + "\n", t);
                await FakeGpsd.HoldAsync(t);
            });
        var logger = new RecordingLogger();
        var sink = new RecordingSink();
        var source = new GpsdSource("gps", new GpsdEndpoint("127.0.0.1", gpsd.Port));
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(new SourceContext(new SourceId(3), sink, TimeProvider.System, logger), cts.Token);

        await SourceRunner.WaitForAsync(() => sink.Count >= 2, running);
        await SourceRunner.StopAsync(cts, running);

        Assert.All(gpsd.Commands, c => Assert.Equal("?WATCH={\"enable\":true,\"json\":true,\"pps\":true};\n", c));
        var s = source.Statistics;
        Assert.Equal((4, 1, 2, 1), (s.Malformed, s.Oversized, s.Connects, s.Disconnects));
        Assert.Equal((4, 2), (s.Reports, s.Fixes)); // VERSION, TPV; TPV, SKY
        var readings = sink.Snapshot();
        // The first TPV had no SKY in its burst: posted without hdop and satellites (never a later or older cycle's).
        Assert.Equal([44.068843333, -121.314191667, 1127.7, 0.015, 225.97], Values(readings[0])[..5]);
        Assert.True(double.IsNaN(readings[0].Values[5]));
        Assert.Equal([0, 3], Values(readings[0])[6..]);
        Assert.Equal([44.068841667, -121.314191667, 1127.8, 0.005, 201.71, 0.84, 11, 3], Values(readings[1]));
        // Each kind of trouble is logged once: one line per kind, however many times it happened.
        var warnings = logger.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Single(warnings, m => m.Contains("not a gpsd JSON report", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("longer than 16384 bytes", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("closed the connection", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Message.Contains("connected to gpsd at 127.0.0.1:", StringComparison.Ordinal) && l.Message.Contains("again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GpsdAbsent_FailuresCountedAndLoggedOnce_NeverThrows_ThenConnects()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        await using var gpsd = new FakeGpsd(async (s, t) =>
        {
            await FakeGpsd.WriteAsync(s, Tpv + "\n" + Sky + "\n", t);
            await FakeGpsd.HoldAsync(t);
        });
        var attempts = 0;
        GpsdConnector connect = (endpoint, token) => ++attempts <= 4
            ? throw new IOException($"gpsd at {endpoint}: Connection refused")
            : GpsdConnection.ConnectTcpAsync(endpoint, token);
        var logger = new RecordingLogger();
        var sink = new RecordingSink();
        var source = new GpsdSource("gps", new GpsdEndpoint("127.0.0.1", gpsd.Port), connect);
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(new SourceContext(new SourceId(3), sink, time, logger), cts.Token);

        // The clock moves only until the fifth attempt connects: one more second while the TPV waits for its SKY would
        // fire the 150 ms hold and post the fix without the SKY's hdop (a race one run under load lost).
        await SourceRunner.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => source.Statistics.Connects >= 1, running);
        await SourceRunner.WaitForAsync(() => sink.Count >= 1, running);
        await SourceRunner.StopAsync(cts, running);

        Assert.Equal((4, 1), (source.Statistics.ConnectFailures, source.Statistics.Connects));
        Assert.Single(logger.Lines, l => l.Message.Contains("cannot connect to gpsd", StringComparison.Ordinal) && l.Message.Contains("Connection refused", StringComparison.Ordinal));
        Assert.Single(logger.Lines, l => l.Message.Contains("again (after 4 failed attempts)", StringComparison.Ordinal));
        Assert.Equal(0.84, sink.Snapshot()[0].Values[5]);
    }

    [Fact]
    public async Task ToffAndPps_TimeTheClock_InsteadOfTheTpvsArrival()
    {
        var now = DateTimeOffset.UtcNow;
        var received = now - TimeSpan.FromMilliseconds(300);
        var fixTime = new DateTimeOffset(received.Year, received.Month, received.Day, received.Hour, received.Minute, received.Second, TimeSpan.Zero);
        string Times(string cls, DateTimeOffset real, DateTimeOffset clock) =>
            $$"""{"class":"{{cls}}","device":"/dev/ttyS0","real_sec":{{real.ToUnixTimeSeconds()}},"real_nsec":{{real.Millisecond * 1_000_000}},"clock_sec":{{clock.ToUnixTimeSeconds()}},"clock_nsec":{{clock.Millisecond * 1_000_000 + clock.Microsecond * 1000}}}""" + "\n";
        var tpv = Tpv.Replace("2034-11-27T20:26:40.000Z", fixTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var gpsd = new FakeGpsd(async (s, t) =>
        {
            await FakeGpsd.WriteAsync(s, Times("TOFF", fixTime, received) + tpv + "\n" + Times("PPS", fixTime, received - TimeSpan.FromMilliseconds(100)), t);
            await FakeGpsd.HoldAsync(t);
        });
        var fixes = new List<NmeaTimeFix>();
        var edges = new List<long>();
        var source = new GpsdSource("gps", new GpsdEndpoint("127.0.0.1", gpsd.Port));
        source.FixTimeReceived += f => { lock (fixes) fixes.Add(f); };
        source.PpsEdge += e => { lock (edges) edges.Add(e); };
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(SourceRunner.Context(sink, TimeProvider.System), cts.Token);
        await SourceRunner.WaitForAsync(() => source.Statistics.PpsEdges == 1 && sink.Count == 1, running);
        await SourceRunner.StopAsync(cts, running);

        // One time fix, from TOFF: gpsd received the fix 300 ms before "now" (the TPV's own time is not offered too).
        var fix = Assert.Single(fixes);
        Assert.Equal(fixTime, fix.Utc);
        var arrival = sink.Snapshot()[0].MonotonicTimestamp;
        var early = TimeProvider.System.GetElapsedTime(fix.MonotonicTimestamp, arrival);
        Assert.InRange(early, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        // The edge 100 ms before that.
        Assert.Equal(100, TimeProvider.System.GetElapsedTime(Assert.Single(edges), fix.MonotonicTimestamp).TotalMilliseconds, 1);
    }

    /// <summary>The gps schema's eight values: lat, lon, alt, speed, course, hdop, sats, mode.</summary>
    private static double[] Values(Reading reading) => [.. Enumerable.Range(0, 8).Select(i => reading.Values[i])];
}
