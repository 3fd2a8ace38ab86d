using System.Text;
using Gateway.DiskQueue.Disk;

namespace Gateway.DiskQueue.Tests.Disk;

/// <summary>Start-up recovery: restarts, torn tails, corruption, acknowledged segments, a damaged cursor.</summary>
public sealed class DiskJournalRecoveryTests
{
    [Fact]
    public void Reopen_RedeliversUnacknowledgedInOrder_AndNotTheAcknowledged()
    {
        using var fx = new JournalFixture();
        using (var journal = fx.Open(segmentBytes: 4096))
        {
            for (var i = 1; i <= 300; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
            for (var i = 0; i < 120; i++)
            {
                Assert.True(journal.TryRead(JournalLane.Telemetry, out var r));
                r.Dispose();
            }
            journal.Acknowledge(JournalLane.Telemetry, 100);
        }
        using (var journal = fx.Open(segmentBytes: 4096))
        {
            var texts = JournalFixture.ReadAllText(journal, out var ids);
            Assert.Equal(Enumerable.Range(101, 200).Select(i => (long)i), ids);
            Assert.Equal(Encoding.UTF8.GetString(JournalFixture.Line(101)), texts[0]);
            // Ids continue after a restart and never repeat.
            journal.Append(JournalLane.Telemetry, JournalFixture.Line(301), 1);
            Assert.True(journal.TryRead(JournalLane.Telemetry, out var next));
            using (next) Assert.Equal(301, next.Id);
        }
    }

    [Fact]
    public void Acknowledge_DeletesWholeSegmentsBehindTheCursor_KeepsTheActive()
    {
        using var fx = new JournalFixture();
        using var journal = fx.Open(segmentBytes: 4096);
        for (var i = 1; i <= 500; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        var before = fx.Segments().Length;
        Assert.True(before > 3);
        JournalFixture.ReadAllText(journal, out _);
        journal.Acknowledge(JournalLane.Telemetry, 500);
        Assert.Single(fx.Segments());
        Assert.Equal(0, journal.UnacknowledgedRecords);
    }

    [Fact]
    public void TornTail_AfterAPowerCut_AtEveryByteOfTheLastRecord_RecoversExactlyThePrefix()
    {
        using var fx = new JournalFixture();
        const int records = 20;
        using (var journal = fx.Open())
            for (var i = 1; i <= records; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        var segment = Assert.Single(fx.Segments());
        var full = File.ReadAllBytes(segment);
        var lastLength = RecordFrame.HeaderSize + JournalFixture.Line(records).Length;
        var lastStart = full.Length - lastLength;
        for (var cut = lastStart; cut < full.Length; cut++)
        {
            fx.ForgetCleanStop(); // a power cut: the stop was not clean
            File.WriteAllBytes(segment, full.AsSpan(0, cut).ToArray());
            using var journal = fx.Open();
            var texts = JournalFixture.ReadAllText(journal, out var ids);
            Assert.Equal(Enumerable.Range(1, records - 1).Select(i => (long)i), ids);
            Assert.Equal(Encoding.UTF8.GetString(JournalFixture.Line(records - 1)), texts[^1]);
            Assert.Equal(cut == lastStart ? 0 : 1, journal.Statistics.TornTails);
            Assert.Equal(0, journal.Statistics.CorruptRecords);
            Assert.Equal(lastStart, new FileInfo(segment).Length);
            // The journal goes on appending after the repaired tail, with a fresh id.
            journal.Append(JournalLane.Telemetry, JournalFixture.Line(99), 1);
            Assert.True(journal.TryRead(JournalLane.Telemetry, out var r));
            using (r) Assert.Equal(records, r.Id);
        }
    }

    [Theory]
    [InlineData(0.5, 1)]   // one record in the middle
    [InlineData(0.0, 1)]   // the very first record
    public void Corruption_InTheMiddleOfASegment_IsQuarantinedAndCounted_StartupSucceeds(double where, int expectedLost)
    {
        using var fx = new JournalFixture();
        using (var journal = fx.Open(segmentBytes: 8192))
            for (var i = 1; i <= 200; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        var segments = fx.Segments();
        Assert.True(segments.Length >= 3);
        var victim = segments[1];
        var bytes = File.ReadAllBytes(victim);
        var at = RecordFrame.HeaderSize + (int)(where * (bytes.Length - 2 * RecordFrame.HeaderSize));
        bytes[at] ^= 0xFF;
        bytes[at + 1] ^= 0x5A;
        File.WriteAllBytes(victim, bytes);

        using (var journal = fx.Open(segmentBytes: 8192))
        {
            JournalFixture.ReadAllText(journal, out var ids);
            Assert.Equal(200 - expectedLost, ids.Count);
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(expectedLost, journal.Statistics.CorruptRecords);
            Assert.Equal(1, journal.Statistics.QuarantinedSegments);
            var quarantined = Assert.Single(Directory.GetFiles(fx.QuarantineDirectory));
            Assert.Equal(bytes, File.ReadAllBytes(quarantined));
        }
        // Repaired for good: the next start finds nothing to do.
        using (var journal = fx.Open(segmentBytes: 8192))
        {
            Assert.Equal(0, journal.Statistics.CorruptRecords);
            Assert.Equal(200 - expectedLost, JournalFixture.ReadAllText(journal, out _).Count);
        }
    }

    [Fact]
    public void Garbage_OverAWholeSegment_LosesItsRecords_KeepsTheOthers()
    {
        using var fx = new JournalFixture();
        using (var journal = fx.Open(segmentBytes: 8192))
            for (var i = 1; i <= 200; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        var segments = fx.Segments();
        var victim = segments[1];
        var length = (int)new FileInfo(victim).Length;
        var random = new Random(4);
        var garbage = new byte[length];
        random.NextBytes(garbage);
        File.WriteAllBytes(victim, garbage);
        var firstOfNext = long.Parse(Path.GetFileNameWithoutExtension(segments[2]), System.Globalization.CultureInfo.InvariantCulture);
        var firstOfVictim = long.Parse(Path.GetFileNameWithoutExtension(victim), System.Globalization.CultureInfo.InvariantCulture);

        using var reopened = fx.Open(segmentBytes: 8192);
        JournalFixture.ReadAllText(reopened, out var ids);
        Assert.Equal(firstOfNext - firstOfVictim, reopened.Statistics.CorruptRecords);
        Assert.Equal(200 - (firstOfNext - firstOfVictim), ids.Count);
    }

    [Fact]
    public void DamagedCursor_RedeliversEverything_NeverFails()
    {
        using var fx = new JournalFixture();
        using (var journal = fx.Open())
        {
            for (var i = 1; i <= 10; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
            JournalFixture.ReadAllText(journal, out _);
            journal.Acknowledge(JournalLane.Telemetry, 5);
        }
        var cursor = Path.Combine(fx.TelemetryDirectory, "cursor");
        Assert.True(File.Exists(cursor));
        File.WriteAllBytes(cursor, [1, 2, 3]);
        using var reopened = fx.Open();
        JournalFixture.ReadAllText(reopened, out var ids);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), ids);
    }

    [Fact]
    public void ForeignFile_InALaneDirectory_IsMovedToQuarantine()
    {
        using var fx = new JournalFixture();
        using (fx.Open()) { }
        File.WriteAllText(Path.Combine(fx.TelemetryDirectory, "notes.txt"), "hello");
        using var journal = fx.Open();
        Assert.Single(Directory.GetFiles(fx.QuarantineDirectory));
    }

    [Fact]
    public void SecondOpen_OfTheSameDirectory_FailsWithAMessageSayingWhatToDo()
    {
        using var fx = new JournalFixture();
        using var first = fx.Open();
        var ex = Assert.Throws<IOException>(() => fx.Open());
        Assert.Contains("in use by another process", ex.Message);
    }
}
