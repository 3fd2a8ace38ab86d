using System.Text;
using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Io;

namespace Gateway.DiskQueue.Tests.Disk;

/// <summary>A journal directory for one test, reopened as often as the test likes (each open is a "restart").</summary>
internal sealed class JournalFixture : IDisposable
{
    private readonly TempDirectory _dir = new("journal");

    public string Directory => _dir.Path;
    public string TelemetryDirectory => Path.Combine(_dir.Path, "telemetry");
    public string QuarantineDirectory => Path.Combine(_dir.Path, "quarantine");

    public DiskJournal Open(long segmentBytes = 64 * 1024, FsyncPolicy fsync = FsyncPolicy.Interval, TimeProvider? time = null, long quota = 16 << 20, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        DiskJournal.Open(new DiskJournalOptions
        {
            Directory = _dir.Path,
            SegmentBytes = segmentBytes,
            QuotaBytes = quota,
            MinFreeDiskBytes = 0,
            Fsync = fsync,
            TimeProvider = time ?? TimeProvider.System,
        }, logger);

    /// <summary>What a power cut leaves: no record of a clean stop (the journal's dispose writes one).</summary>
    public void ForgetCleanStop() => File.Delete(Path.Combine(_dir.Path, "clean-stop"));

    public string[] Segments() => System.IO.Directory.GetFiles(TelemetryDirectory, "*.seg").Order(StringComparer.Ordinal).ToArray();

    public static byte[] Line(int i) => Encoding.UTF8.GetBytes($"counter,gateway=g,sensor=seq seq={i}i {1_700_000_000_000L + i}\n");

    public static List<string> ReadAllText(DiskJournal journal, out List<long> ids)
    {
        var texts = new List<string>();
        ids = [];
        while (journal.TryRead(JournalLane.Telemetry, out var r))
        {
            using (r)
            {
                texts.Add(Encoding.UTF8.GetString(r.Payload.Span));
                ids.Add(r.Id);
            }
        }
        return texts;
    }

    public void Dispose() => _dir.Dispose();
}
