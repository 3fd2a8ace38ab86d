using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Metrics;
using Gateway.Agent.Profiles;
using Gateway.Agent.Tests.Support;
using Gateway.Devices.Gpsd;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Metrics;

/// <summary>
/// The GPS input's self-metrics (issue 16, bad input counted): composed as the agent composes them, posted by their
/// source on its interval into a pipeline, and encoded as the agent encodes them.
/// </summary>
public sealed class GpsMetricsTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 10, 20, 30, TimeSpan.Zero));

    [Fact]
    public async Task Receiver_WithGpsdService_NmeaPointCarriesTheReceiversCountsAndTheServicesClients()
    {
        var port = FreePort.Next();
        var profile = ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
            {
              "gatewayId": "gw-1", "hardware": "simulated",
              "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
              "broker": { "host": "127.0.0.1" },
              "sources": [ { "type": "gps", "name": "gps", "device": "/dev/serial0", "gpsdPort": {{port}} } ]
            }
            """), "p.json");
        using var state = new TempDirectory("gps-metrics");
        using var hardware = new SimulatedHardware(profile, state.Path, _time);
        var sources = SourceFactory.Create(profile, hardware, new DeviceEnvironment(state.Path, new NoEvents(), NullLoggerFactory.Instance));
        using var service = GpsComposition.ServeGpsd(profile, sources, new RecordingLogger());
        Assert.NotNull(service);
        var metrics = Assert.Single(GpsMetrics.Sources(sources, service, TimeSpan.FromSeconds(10)));
        Assert.Equal(("nmea", "gateway"), (metrics.Name, metrics.Schema.Measurement));

        using var stop = new CancellationTokenSource();
        var serving = service.RunAsync(stop.Token);
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 10_000 });
        var gps = Assert.Single(sources).RunAsync(new SourceContext(new SourceId(0), pipeline, _time, NullLogger.Instance), stop.Token);
        await Until(() => pipeline.Statistics.Accepted >= 3, gps, step: true);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port);
            await Until(() => service.Served == 1, serving, step: false);
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gps);
        await serving;

        var receiver = Assert.Single(GpsComposition.Statistics(sources).Receivers);
        Assert.True(receiver.Sentences > 0 && receiver.Fixes >= 3, receiver.ToString());
        Assert.Equal(
            $"gateway,gateway=gw-1,sensor=nmea,time_quality=unsynced nmea_sentences={receiver.Sentences}i,nmea_checksum_errors=0i,nmea_malformed=0i," +
            $"nmea_garbage_bytes=0i,nmea_fixes={receiver.Fixes}i,nmea_position_jumps=0i,gpsd_service_served=1i,gpsd_service_refused=0i," +
            "gpsd_service_bad_commands=0i,gpsd_service_slow_clients=0i",
            await PublishedLine(metrics));
    }

    [Fact]
    public async Task GpsdSource_BadLinesAndConnectionTroubles_InTheGpsdPoint()
    {
        var connections = 0;
        GpsdConnector connect = (_, _) => ++connections == 1
            ? ValueTask.FromResult<Stream>(new ScriptStream(
                """{"class":"VERSION","release":"3.22","proto_major":3,"proto_minor":14}""" + "\n" +
                "not json\n" +
                """{"class":"TPV","mode":3,"time":"2034-11-27T20:26:40.000Z","lat":44.068843333,"lon":-121.314191667,"altMSL":1127.7}""" + "\n"))
            : ValueTask.FromException<Stream>(new IOException("connection refused"));
        var source = new GpsdSource("gps", new GpsdEndpoint("127.0.0.1", 2947), connect);
        var metrics = Assert.Single(GpsMetrics.Sources([source], null, TimeSpan.FromSeconds(10)));
        Assert.Equal(("gpsd", "gateway"), (metrics.Name, metrics.Schema.Measurement));

        using var stop = new CancellationTokenSource();
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 100 });
        var running = source.RunAsync(new SourceContext(new SourceId(0), pipeline, _time, NullLogger.Instance), stop.Token);
        // The stream ends (gpsd closed it); the reconnection, a second later on the source's clock, is refused.
        await Until(() => source.Statistics.Disconnects == 1, running, step: false);
        await Until(() => source.Statistics.ConnectFailures == 1, running, step: true);
        await stop.CancelAsync();
        try { await running; }
        catch (OperationCanceledException) { }

        var s = source.Statistics;
        Assert.Equal((1, 1, 1, 1, 1), (s.Fixes, s.Malformed, s.Connects, s.ConnectFailures, s.Disconnects));
        Assert.Equal(
            $"gateway,gateway=gw-1,sensor=gpsd,time_quality=unsynced gpsd_reports={s.Reports}i,gpsd_fixes=1i,gpsd_malformed=1i,gpsd_oversized=0i," +
            "gpsd_connects=1i,gpsd_connect_failures=1i,gpsd_disconnects=1i,gpsd_pps_edges=0i",
            await PublishedLine(metrics));
    }

    [Fact]
    public void Schemas_FieldNamesDoNotCollideWithTheOtherGatewayPoints()
    {
        string[][] points =
        [
            [.. GpsMetrics.NmeaSchema.Fields.Select(f => f.Name)], [.. GpsMetrics.GpsdSchema.Fields.Select(f => f.Name)],
            [.. GatewayMetricsSource.GatewaySchema.Fields.Select(f => f.Name)], [.. ClockMetrics.ClockSchema.Fields.Select(f => f.Name)],
        ];
        var all = points.SelectMany(p => p).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Empty(GpsMetrics.Sources([], null, TimeSpan.FromSeconds(10)));
    }

    /// <summary>Runs the metrics source until its first post (one interval on the manual clock) and encodes that reading.</summary>
    private async Task<string> PublishedLine(GatewayMetricsSource metrics)
    {
        var registry = new SourceRegistry();
        var id = registry.Register(metrics.Name, metrics.Schema).Id;
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 10 });
        using var stop = new CancellationTokenSource();
        var running = metrics.RunAsync(new SourceContext(id, pipeline, _time, NullLogger.Instance), stop.Token);
        _time.Advance(TimeSpan.FromSeconds(10));
        var reading = await pipeline.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });
        var output = new ArrayBufferWriter<byte>();
        new ReadingEncoder(registry, "gw-1", clock).Encode(reading, output);
        var line = Encoding.UTF8.GetString(output.WrittenSpan).TrimEnd('\n');
        return line[..line.LastIndexOf(' ')];
    }

    /// <summary>Waits (bounded, a guard against a hang) until <paramref name="condition"/> holds; with <paramref name="step"/>, moves the manual clock on meanwhile.</summary>
    private async Task Until(Func<bool> condition, Task running, bool step)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (running.IsCompleted) await running;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the condition never held");
            if (step) _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }
    }

    /// <summary>gpsd's side of a connection: the given lines, then the end of the stream; what the source writes is dropped.</summary>
    private sealed class ScriptStream(string lines) : MemoryStream(Encoding.UTF8.GetBytes(lines), writable: false)
    {
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count) { }

        public override void Write(ReadOnlySpan<byte> buffer) { }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override void Flush() { }
    }
}
