using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Logging;

namespace Gateway.DiskQueue.Tests.Disk;

/// <summary>
/// Loss at the end of the journal after a clean stop (issue 12 item 13): nothing was being written, so a short or
/// missing end is damage, counted and quarantined, never excused as a power cut's torn tail.
/// </summary>
public sealed class DiskJournalCleanStopTests
{
    private const int Records = 20;

    [Theory]
    [InlineData(1, 1)]     // the last record one byte short
    [InlineData(-1, 1)]    // the whole last record gone: the file ends on a record boundary
    [InlineData(-3, 3)]    // the last three records gone
    public void ShortEnd_AfterACleanStop_IsCorruption_CountedAndQuarantined(int cut, int lost)
    {
        using var fx = new JournalFixture();
        var segment = WriteAndStopCleanly(fx);
        var full = File.ReadAllBytes(segment);
        var frame = RecordFrame.HeaderSize + JournalFixture.Line(Records).Length; // lines 10..20 have the same length
        var keep = cut > 0 ? full.Length - cut : full.Length + cut * frame;
        File.WriteAllBytes(segment, full.AsSpan(0, keep).ToArray());

        using var journal = fx.Open();
        Assert.Equal(lost, journal.Statistics.CorruptRecords);
        Assert.Equal(0, journal.Statistics.TornTails);
        Assert.Equal(1, journal.Statistics.QuarantinedSegments);
        JournalFixture.ReadAllText(journal, out var ids);
        Assert.Equal(Enumerable.Range(1, Records - lost).Select(i => (long)i), ids);
        // Ids of the lost records are not issued again.
        journal.Append(JournalLane.Telemetry, JournalFixture.Line(99), 1);
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var next));
        using (next) Assert.Equal(Records + 1, next.Id);
    }

    [Fact]
    public void FlippedLengthBit_InTheLastRecord_AfterACleanStop_IsCounted()
    {
        using var fx = new JournalFixture();
        var segment = WriteAndStopCleanly(fx);
        var bytes = File.ReadAllBytes(segment);
        var lastStart = bytes.Length - RecordFrame.HeaderSize - JournalFixture.Line(Records).Length;
        bytes[lastStart + 5] ^= 0x01; // payload length + 256: the record now looks cut short
        File.WriteAllBytes(segment, bytes);

        using var journal = fx.Open();
        Assert.Equal(1, journal.Statistics.CorruptRecords);
        Assert.Equal(0, journal.Statistics.TornTails);
    }

    [Fact]
    public void ShortEnd_AfterAPowerCut_IsStillATornTail()
    {
        using var fx = new JournalFixture();
        var segment = WriteAndStopCleanly(fx);
        fx.ForgetCleanStop();
        var full = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, full.AsSpan(0, full.Length - 1).ToArray());

        using var journal = fx.Open();
        Assert.Equal(0, journal.Statistics.CorruptRecords);
        Assert.Equal(1, journal.Statistics.TornTails);
    }

    [Fact]
    public void QuarantineMessage_NamesTheOffsetOfTheDamage_NotTheEndOfTheSegment()
    {
        using var fx = new JournalFixture();
        var segment = WriteAndStopCleanly(fx);
        var bytes = File.ReadAllBytes(segment);
        var frame = RecordFrame.HeaderSize + JournalFixture.Line(Records).Length;
        var damageAt = bytes.Length - 5 * frame; // the 16th record of 20
        bytes[damageAt + RecordFrame.HeaderSize + 2] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);
        var logger = new RecordingLogger();

        using var journal = fx.Open(logger: logger);
        Assert.Equal(1, journal.Statistics.CorruptRecords);
        var line = Assert.Single(logger.Lines, l => l.Message.Contains("is damaged", StringComparison.Ordinal)).Message;
        Assert.Contains($"at offset {damageAt}:", line, StringComparison.Ordinal);
    }

    private static string WriteAndStopCleanly(JournalFixture fx)
    {
        using (var journal = fx.Open())
            for (var i = 1; i <= Records; i++) journal.Append(JournalLane.Telemetry, JournalFixture.Line(i), 1);
        return Assert.Single(fx.Segments());
    }
}
