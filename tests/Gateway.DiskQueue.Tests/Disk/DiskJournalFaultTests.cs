using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Faults;
using Gateway.TestKit.Io;
using Gateway.TestKit.Logging;

namespace Gateway.DiskQueue.Tests.Disk;

/// <summary>
/// The journal on a failing SD card (issue 12 items 10 and 11), with real faults: a tiny tmpfs for ENOSPC (blocks and
/// inodes) and an ext4 image on a loop device that an error remounts read-only.
/// </summary>
public sealed class DiskJournalFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new("journal-fault");

    private static readonly byte[] Batch = new byte[8 * 1024];

    [RootFact]
    public void FullFileSystem_DropsTheOldestTelemetry_NeverTheNewest_AndLogsOncePerEpisode()
    {
        using var mount = FaultMounts.Tmpfs(_dir.File("card"), "2m", 1000);
        var logger = new RecordingLogger();
        var episodes = 0;
        using var journal = Open(mount.Path, segmentBytes: 256 * 1024, logger);
        journal.DropEpisodeStarted += _ => episodes++;

        // 4 MiB of batches into 2 MiB: the kernel refuses writes long before any quota would.
        for (var i = 1; i <= 512; i++)
            Assert.True(journal.Append(JournalLane.Telemetry, Stamp(i), 1), $"batch {i}, the newest, was refused");

        Assert.True(journal.Statistics.DroppedRecords > 0);
        Assert.Equal(512 - journal.Statistics.DroppedRecords, journal.UnacknowledgedRecords);
        // What is left is the newest, in order, up to the last batch appended.
        var ids = ReadIds(journal);
        Assert.Equal(512, ids[^1]);
        Assert.Equal(Enumerable.Range((int)ids[0], ids.Count).Select(i => (long)i), ids);
        Assert.True(ids[0] > 1);
        Assert.Equal(1, episodes);
        Assert.Single(logger.Lines, l => l.Message.Contains("file system is full", StringComparison.Ordinal));
    }

    [RootFact]
    public void InodesExhausted_SegmentRollFreesTheOldestSegment_InsteadOfFailing()
    {
        // 14 inodes: the mount's root, the journal's directories, lock, reserve, cursors and a few segments.
        using var mount = FaultMounts.Tmpfs(_dir.File("card"), "16m", 14);
        using var journal = Open(mount.Path, segmentBytes: 16 * 1024, new RecordingLogger());

        for (var i = 1; i <= 200; i++)
            Assert.True(journal.Append(JournalLane.Telemetry, Stamp(i), 1), $"batch {i} was refused");

        Assert.True(journal.Statistics.DroppedRecords > 0, "the roll must have met ENOSPC (no inode) at least once");
        Assert.Equal(200, ReadIds(journal)[^1]);
    }

    [RootFact]
    public void FullFileSystem_WithOnlyTheActiveTelemetrySegment_TheReserveStillTakesTheEvent()
    {
        using var mount = FaultMounts.Tmpfs(_dir.File("card"), "1m", 1000);
        // One segment bigger than the card: telemetry cannot free anything, so it is refused once the card is full.
        using var journal = Open(mount.Path, segmentBytes: 4 * 1024 * 1024, new RecordingLogger());
        var i = 0;
        while (journal.Append(JournalLane.Telemetry, Stamp(++i), 1))
            Assert.True(i < 1000, "a 1 MiB card cannot take 8 MB");

        Assert.True(journal.Append(JournalLane.Event, "event,kind=data_loss dropped=1i"u8, 1), "the event must be written from the reserve");
        Assert.False(File.Exists(Path.Combine(mount.Path, "reserve")));
        Assert.True(journal.TryRead(JournalLane.Event, out var e));
        e.Dispose();
    }

    [RootFact(FaultNeeds.LoopDevice)]
    public void CardRemountedReadOnly_AppendThrowsJournalFailed_AndFailedCompletes()
    {
        using var card = FaultMounts.Ext4(_dir.File("card"), 16);
        using var journal = Open(card.Path, segmentBytes: 64 * 1024, new RecordingLogger());
        Assert.True(journal.Append(JournalLane.Telemetry, Stamp(1), 1));

        card.TriggerError();

        var ex = Assert.Throws<JournalFailedException>(() =>
        {
            for (var i = 2; i < 100; i++) journal.Append(JournalLane.Telemetry, Stamp(i), 1);
        });
        Assert.Contains("Read-only file system", ex.Message, StringComparison.Ordinal);
        Assert.True(journal.Failed.IsCompletedSuccessfully);
        Assert.Throws<JournalFailedException>(() => journal.Append(JournalLane.Event, "e x=1i"u8, 1));
    }

    private static DiskJournal Open(string directory, long segmentBytes, RecordingLogger logger) =>
        DiskJournal.Open(new DiskJournalOptions
        {
            Directory = Path.Combine(directory, "journal"),
            SegmentBytes = segmentBytes,
            QuotaBytes = 1L << 30,
            // The floor is off so that only the kernel's ENOSPC stops writes: the case the floor cannot prevent.
            MinFreeDiskBytes = 0,
            Fsync = FsyncPolicy.Batch,
        }, logger);

    private static byte[] Stamp(int i)
    {
        var batch = (byte[])Batch.Clone();
        BitConverter.TryWriteBytes(batch, i);
        return batch;
    }

    private static List<long> ReadIds(DiskJournal journal)
    {
        var ids = new List<long>();
        while (journal.TryRead(JournalLane.Telemetry, out var r))
            using (r) ids.Add(r.Id);
        return ids;
    }

    public void Dispose() => _dir.Dispose();
}
