using BenchmarkDotNet.Attributes;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;

namespace Gateway.Benchmarks.Pipeline;

/// <summary>
/// Issue 4 / DESIGN §9: from a <see cref="Reading"/> entering the pipeline to its encoded record appended to the disk
/// journal, per reading: the agent's own stages (ReadingPipeline → JournalBatcher → ReadingEncoder → DiskJournal with
/// the default fsync policy). One operation is one reading; a mix of GPS, env and counter readings, 500 per batch.
/// Bar: 0 bytes allocated per reading in steady state. With 1 MiB segments a segment roll (new file, handle, name)
/// happens every ~15,000 readings and its few hundred bytes show as a fraction of a byte per reading; 64 MiB
/// segments show the path between rolls alone.
/// </summary>
[MemoryDiagnoser]
public class PipelineToJournalBenchmarks
{
    private const int ReadingsPerInvoke = 10_000;

    private string _dir = "";
    private DiskJournal _journal = null!;
    private ReadingPipeline _pipeline = null!;
    private JournalBatcher _batcher = null!;
    private readonly Reading[] _readings = new Reading[3];

    [Params(1024 * 1024, 64 * 1024 * 1024)]
    public int SegmentBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"bench-journal-{Guid.NewGuid():N}");
        _journal = DiskJournal.Open(new DiskJournalOptions { Directory = _dir, SegmentBytes = SegmentBytes, QuotaBytes = 8L << 30, MinFreeDiskBytes = 0 });
        var registry = new SourceRegistry();
        var gps = registry.Register("gps", Measurements.Gps).Id;
        var env = registry.Register("enclosure", Measurements.Env).Id;
        var counter = registry.Register("seq", Measurements.Counter).Id;
        var clock = new ClockDiscipline(TimeProvider.System);
        clock.SynchronizeFromSystemClock();
        var encoder = new ReadingEncoder(registry, "cp-alpha-01", clock);
        _pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 2 * ReadingsPerInvoke });
        _batcher = new JournalBatcher(_pipeline.Reader, encoder, _journal, new BatcherOptions { MaxReadings = 500 }, TimeProvider.System);
        var now = TimeProvider.System.GetTimestamp();
        _readings[0] = new Reading(gps, now, ReadingValues.From([8.4840123, -13.2299456, 27.3, 1.25, 181.5, 0.9, 9, 3]));
        _readings[1] = new Reading(env, now, ReadingValues.From([31.25, 64.5, 1009.87]));
        _readings[2] = new Reading(counter, now, ReadingValues.From([123456]));
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerInvoke)]
    public int ReadingToJournal()
    {
        for (var i = 0; i < ReadingsPerInvoke; i++) _pipeline.TryWrite(in _readings[i % 3]);
        return _batcher.DrainAvailable();
    }

    /// <summary>Acknowledges everything between iterations so the journal's segments are deleted and the disk stays small.</summary>
    [IterationCleanup]
    public void Acknowledge() => _journal.Acknowledge(JournalLane.Telemetry, long.MaxValue);

    [GlobalCleanup]
    public void Cleanup()
    {
        _batcher.Dispose();
        _journal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
