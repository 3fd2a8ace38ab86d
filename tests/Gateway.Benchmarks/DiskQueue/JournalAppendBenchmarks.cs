using BenchmarkDotNet.Attributes;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;

namespace Gateway.Benchmarks.DiskQueue;

/// <summary>
/// Journal append throughput per fsync policy (issue 4): one operation appends one 16 KiB batch (about 200 readings
/// of line protocol), the agent's usual record. Records/s = 1 / Mean; MB/s = 16 KiB / Mean. Run it on the device's
/// own SD card for field figures: tmpfs or a laptop SSD hide fsync's real cost.
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    public const int RecordBytes = 16 * 1024;

    private readonly byte[] _payload = new byte[RecordBytes];
    private string _dir = "";
    private DiskJournal _journal = null!;

    [Params(FsyncPolicy.Batch, FsyncPolicy.Interval, FsyncPolicy.Bytes)]
    public FsyncPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_payload);
        _dir = Path.Combine(Environment.GetEnvironmentVariable("JOURNAL_BENCH_DIR") ?? Path.GetTempPath(), $"bench-append-{Guid.NewGuid():N}");
        _journal = DiskJournal.Open(new DiskJournalOptions { Directory = _dir, QuotaBytes = 8L << 30, MinFreeDiskBytes = 0, Fsync = Policy });
    }

    private long _appended;

    /// <summary>
    /// One append; every 64th (one 1 MiB segment) also acknowledges everything, as a publisher that keeps up does, so the
    /// steady state includes segment rolls and deletions and the disk stays small.
    /// </summary>
    [Benchmark]
    public bool Append()
    {
        var accepted = _journal.Append(JournalLane.Telemetry, _payload, 200);
        if (++_appended % 64 == 0) _journal.Acknowledge(JournalLane.Telemetry, long.MaxValue);
        return accepted;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
