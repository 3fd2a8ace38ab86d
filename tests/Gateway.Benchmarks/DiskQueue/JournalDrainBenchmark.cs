using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue.Disk;
using Gateway.Ingest;
using Gateway.Mqtt;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Servers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Benchmarks.DiskQueue;

/// <summary>
/// Backlog drain (issue 4, DESIGN §9): a journal holding 1,000,000 counter readings (the agent's 500-reading batches)
/// is drained by the agent's publisher to a local mosquitto, and the ingest writes it into a local InfluxDB 1.x.
/// One operation is the whole drain, until the store holds every reading; readings/s end to end = 1,000,000 / Mean.
/// The console log also gives the time until the broker had acknowledged everything (the gateway's share).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class JournalDrainBenchmark
{
    private const string Database = "fleet";

    private InfluxServer _influx = null!;
    private MosquittoServer _broker = null!;
    private CancellationTokenSource _stopIngest = null!;
    private Task<int> _ingest = null!;
    private string _dir = "";

    [Params(1_000_000)]
    public int Readings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _influx = InfluxServer.StartAsync().GetAwaiter().GetResult();
        _broker = MosquittoServer.StartAsync("max_queued_messages 0").GetAwaiter().GetResult();
        _stopIngest = new CancellationTokenSource();
        var ready = new TaskCompletionSource<IngestWorker>();
        _ingest = Task.Run(() => IngestHost.RunAsync(["--broker", $"127.0.0.1:{_broker.Port}", "--influx", _influx.Url.ToString(), "--database", Database, "--client-id", "bench-ingest"],
            _stopIngest.Token, w => ready.TrySetResult(w)));
        ready.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult().Subscribed.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void Fill()
    {
        _influx.QueryAsync(Database, "DROP DATABASE fleet").GetAwaiter().GetResult();
        _influx.CreateDatabaseAsync(Database).GetAwaiter().GetResult();
        _dir = Path.Combine(Path.GetTempPath(), $"bench-drain-{Guid.NewGuid():N}");
        using var journal = DiskJournal.Open(new DiskJournalOptions { Directory = _dir, QuotaBytes = 8L << 30, MinFreeDiskBytes = 0 });
        var registry = new SourceRegistry();
        var counter = registry.Register("seq", Measurements.Counter).Id;
        var clock = new ClockDiscipline(TimeProvider.System);
        clock.SynchronizeFromSystemClock();
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 10_000 });
        using var batcher = new JournalBatcher(pipeline.Reader, new ReadingEncoder(registry, "cp-drain", clock), journal,
            new BatcherOptions { MaxReadings = 500 }, TimeProvider.System);
        // One reading per millisecond over the last Readings ms: distinct timestamps, as a 1000/s counter makes.
        var frequency = TimeProvider.System.TimestampFrequency;
        var start = TimeProvider.System.GetTimestamp() - Readings * frequency / 1000;
        for (var i = 0; i < Readings; i++)
        {
            pipeline.TryWrite(new Reading(counter, start + i * frequency / 1000, ReadingValues.From([i + 1])));
            if (i % 5000 == 4999) batcher.DrainAvailable();
        }
        batcher.DrainAvailable();
        batcher.Flush();
    }

    [Benchmark]
    public async Task<long> DrainToInfluxDb()
    {
        var started = TimeProvider.System.GetTimestamp();
        using (var journal = DiskJournal.Open(new DiskJournalOptions { Directory = _dir, QuotaBytes = 8L << 30, MinFreeDiskBytes = 0 }))
        {
            await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = _broker.Port, ClientId = "cp-drain" });
            await client.ConnectAsync(CancellationToken.None);
            var publisher = new Publisher(client, journal, "cp-drain", TimeProvider.System, NullLogger.Instance);
            publisher.Complete();
            await publisher.RunAsync(CancellationToken.None);
        }
        var published = TimeProvider.System.GetElapsedTime(started);
        long stored = 0;
        while (stored < Readings)
        {
            var rows = await _influx.QueryAsync(Database, "SELECT count(seq) FROM counter");
            stored = rows.Count == 0 ? 0 : rows[0]["count"].GetInt64();
            if (stored < Readings) await Task.Delay(200);
        }
        var total = TimeProvider.System.GetElapsedTime(started);
        Console.WriteLine($"// drain: {Readings} readings acknowledged by the broker in {published.TotalSeconds:0.00} s ({Readings / published.TotalSeconds:0} readings/s), stored in InfluxDB in {total.TotalSeconds:0.00} s ({Readings / total.TotalSeconds:0} readings/s)");
        return stored;
    }

    [IterationCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [GlobalCleanup]
    public void Stop()
    {
        _stopIngest.Cancel();
        _ingest.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _influx.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
