using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Time;

namespace Gateway.DiskQueue.Tests.Disk;

/// <summary>fsync policies (group commit, never one fsync per reading) and the cursor's persistence.</summary>
public sealed class DiskJournalPolicyTests
{
    [Fact]
    public void Batch_FsyncsOncePerAppendedBatch()
    {
        using var fx = new JournalFixture();
        using var journal = fx.Open(fsync: FsyncPolicy.Batch);
        var before = journal.Statistics.Fsyncs;
        for (var i = 0; i < 10; i++) journal.Append(JournalLane.Telemetry, new byte[2000], 100);
        Assert.Equal(10, journal.Statistics.Fsyncs - before);
    }

    [Fact]
    public void Interval_FsyncsWhenTheIntervalHasPassed_NotPerAppend()
    {
        using var fx = new JournalFixture();
        var time = new ManualTimeProvider();
        using var journal = fx.Open(fsync: FsyncPolicy.Interval, time: time);
        var before = journal.Statistics.Fsyncs;
        for (var i = 0; i < 50; i++) journal.Append(JournalLane.Telemetry, new byte[100], 10);
        Assert.Equal(0, journal.Statistics.Fsyncs - before);
        time.Advance(TimeSpan.FromSeconds(1)); // the timer fires: unsynced data is synced
        Assert.Equal(1, journal.Statistics.Fsyncs - before);
        time.Advance(TimeSpan.FromSeconds(1)); // nothing new: no fsync
        Assert.Equal(1, journal.Statistics.Fsyncs - before);
    }

    [Fact]
    public void Bytes_FsyncsEachTimeTheThresholdIsCrossed()
    {
        using var fx = new JournalFixture();
        using var journal = DiskJournal.Open(new DiskJournalOptions
        {
            Directory = fx.Directory, MinFreeDiskBytes = 0, Fsync = FsyncPolicy.Bytes, FsyncBytes = 10_000,
            TimeProvider = new ManualTimeProvider(),
        });
        var before = journal.Statistics.Fsyncs;
        for (var i = 0; i < 20; i++) journal.Append(JournalLane.Telemetry, new byte[1000 - RecordFrame.HeaderSize], 1);
        Assert.Equal(2, journal.Statistics.Fsyncs - before);
    }

    [Fact]
    public void Cursor_IsPersistedByTheTimer_AndSurvivesARestartWithoutDispose()
    {
        using var fx = new JournalFixture();
        var time = new ManualTimeProvider();
        var journal = fx.Open(time: time);
        for (var i = 1; i <= 10; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        JournalFixture.ReadAllText(journal, out _);
        journal.Acknowledge(JournalLane.Telemetry, 7);
        time.Advance(TimeSpan.FromSeconds(1));
        // Simulate a kill: the cursor file on disk is what the timer wrote, read by a fresh scan.
        Assert.Equal(7, CursorFile.Read(fx.TelemetryDirectory, out var damaged));
        Assert.False(damaged);
        journal.Dispose();
    }
}
