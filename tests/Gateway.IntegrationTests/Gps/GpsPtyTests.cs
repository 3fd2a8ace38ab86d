using System.Text.Json;
using Gateway.Devices.NmeaGps;
using Gateway.IntegrationTests.Support;
using Gateway.TestKit.Data;
using Gateway.TestKit.Io;
using Gateway.TestKit.Servers;

namespace Gateway.IntegrationTests.Gps;

/// <summary>
/// Issue 5's pseudo-terminal test: a real receiver's log played into a pty at its baud rate, read by the agent through
/// the real termios code, arrives in InfluxDB (through mosquitto and the ingest) as <c>gps</c> points stamped with
/// the log's times: the clock is disciplined by GPS alone (<c>time.source: gps</c>), not by the machine's clock.
/// </summary>
public sealed class GpsPtyTests
{
    private const string Database = "fleet";
    private const string Log = "cat-ms352.log"; // Caterpillar MS352, 2 Hz GGA+RMC, 2022-11-23: DGPS fixes
    private const int Baud = 9600;
    private const int Cycles = 16;              // 8 s of the log
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task LogPlayedIntoAPty_ArrivesAsGpsPoints_StampedWithTheLogsTimes()
    {
        var player = new NmeaLogPlayer(Path.Combine(SharedTestData.Directory("gpsd"), Log), Cycles);
        var expected = ReferenceFixes(player.Bytes);
        Assert.Equal(Cycles, expected.Count);

        await using var broker = await MosquittoServer.StartAsync();
        await using var influx = await InfluxServer.StartAsync();
        await influx.CreateDatabaseAsync(Database);
        await using var stack = new StackRunner();
        using var ptys = PtyPair.Start(stack.Directory);
        await stack.StartIngestAsync(broker.Port, influx.Url, Database);
        await stack.StartAgentAsync(WriteProfile(stack, broker.Port, ptys.DevicePath));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await WaitUntilOpenedAsync(ptys.DevicePath, cts.Token);
        await using (var feed = ptys.OpenFeed())
            await player.PlayAsync(feed, Baud, cts.Token);

        var rows = await influx.WaitForAsync(Database, "SELECT * FROM gps WHERE gateway = 'cp-pty'", r => r.Count >= expected.Count, Arrival);
        var table = string.Join("\n", rows.Select((r, i) =>
            $"{(i < expected.Count ? expected[i].UtcTime : null):HH:mm:ss.fff} -> {DateTimeOffset.FromUnixTimeMilliseconds(r["time"].GetInt64()):HH:mm:ss.fff}"));
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, fix) = (rows[i], expected[i]);
            var time = DateTimeOffset.FromUnixTimeMilliseconds(row["time"].GetInt64());
            // Each point carries its fix's time, late by however much later than the best cycle this machine read the
            // cycle's first byte (the minimum-delay filter: never early, beyond a little slew). A loaded test machine
            // delivers a few cycles late; most come within milliseconds.
            Assert.True(time >= fix.UtcTime!.Value - TimeSpan.FromMilliseconds(50) && time < fix.UtcTime!.Value + TimeSpan.FromSeconds(1),
                $"point {i} is not at its fix's time (fix -> point):\n{table}");
            Assert.Equal(fix.Latitude!.Value, row["lat"].GetDouble(), 9);
            Assert.Equal(fix.Longitude!.Value, row["lon"].GetDouble(), 9);
            Assert.Equal(fix.AltitudeMsl!.Value, row["alt"].GetDouble(), 6);
            Assert.Equal(fix.Mode, row["mode"].GetInt64());
            Assert.True(NotFlagged(row));
        }

        var onTime = rows.Select((r, i) => Math.Abs(r["time"].GetInt64() - expected[i].UtcTime!.Value.ToUnixTimeMilliseconds())).Count(e => e <= 20);
        Assert.True(onTime >= rows.Count / 2, $"fewer than half the points are within 20 ms of their fix (fix -> point):\n{table}");

        // The counter ran from the agent's start, before the first fix: its first readings were held and re-based,
        // so every counter point sits in the log's day, none is flagged unsynced, and none was lost.
        var first = expected[0].UtcTime!.Value;
        var counter = await influx.WaitForAsync(Database, "SELECT * FROM counter WHERE gateway = 'cp-pty'", r => r.Count >= 40, Arrival);
        Assert.All(counter, row => Assert.True(NotFlagged(row)));
        Assert.Empty(await influx.QueryAsync(Database, "SHOW TAG VALUES WITH KEY = \"time_quality\""));
        var times = counter.Select(r => DateTimeOffset.FromUnixTimeMilliseconds(r["time"].GetInt64())).ToList();
        Assert.InRange(times.Min(), first - TimeSpan.FromSeconds(60), first);
        Assert.InRange(times.Max(), first, first + TimeSpan.FromMinutes(5));
        var seqs = counter.Select(r => r["seq"].GetInt64()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    private static bool NotFlagged(IReadOnlyDictionary<string, JsonElement> row) =>
        !row.TryGetValue("time_quality", out var quality) || quality.ValueKind == JsonValueKind.Null;

    /// <summary>Our decoder's fixes for the same bytes, dated by the log's header as gpsd would.</summary>
    private static List<NmeaFix> ReferenceFixes(byte[] played)
    {
        var fixes = new List<NmeaFix>();
        using var input = new MemoryStream(played);
        new NmeaLogReplay(new DateOnly(2022, 11, 23)).Run(input, fix => { if (fix.HasFix) fixes.Add(fix); });
        return fixes;
    }

    private static string WriteProfile(StackRunner stack, int brokerPort, string device)
    {
        var profile = new
        {
            gatewayId = "cp-pty",
            site = new { name = "Pty bench", latitude = 38.71, longitude = -117.09, altitude = 1864 },
            hardware = "simulated",
            broker = new { host = "127.0.0.1", port = brokerPort, keepAliveSeconds = 10, reconnectMaxSeconds = 2 },
            pipeline = new { batchMaxReadings = 200, batchMaxDelayMs = 200 },
            time = new { source = "gps", holdMaxSeconds = 120 },
            sources = new object[]
            {
                new { type = "gps", name = "gps", device, baud = Baud, port = "termios" },
                new { type = "counter", name = "seq", ratePerSecond = 10 },
            },
        };
        var path = Path.Combine(stack.Directory, "cp-pty.json");
        File.WriteAllText(path, JsonSerializer.Serialize(profile));
        return path;
    }

    /// <summary>
    /// The agent runs in this process: its serial port is open once one of our descriptors points at the pty. Bytes
    /// written before that would be flushed by the port's open (TermiosSerialPort discards stale input).
    /// </summary>
    private static async Task WaitUntilOpenedAsync(string devicePath, CancellationToken cancellationToken)
    {
        var target = new FileInfo(devicePath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? devicePath;
        while (!Directory.EnumerateFiles("/proc/self/fd").Any(fd => new FileInfo(fd).LinkTarget == target))
            await Task.Delay(50, cancellationToken);
        await Task.Delay(200, cancellationToken); // termios set-up follows open() within microseconds; leave it time
    }
}
