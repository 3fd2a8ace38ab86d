using Gateway.Ingest.Monitoring;

namespace Gateway.Ingest.Tests.Monitoring;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void InOrder_NoGapsNoDuplicates()
    {
        var t = new SequenceTracker();
        for (var i = 1; i <= 10_000; i++) Assert.Equal(i == 1 ? SequenceOutcome.InOrder : SequenceOutcome.InOrder, t.Observe(i, i));
        Assert.Equal((0L, 0L, 0L, 10_000L), (t.Missing, t.Duplicates, t.Resets, t.Highest));
    }

    [Fact]
    public void Gap_IsMissing_UntilTheLatePointsArrive()
    {
        var t = new SequenceTracker();
        t.Observe(1, 1);
        Assert.Equal(SequenceOutcome.Gap, t.Observe(5, 5));
        Assert.Equal(3, t.Missing);
        Assert.Equal(SequenceOutcome.Late, t.Observe(3, 3));
        Assert.Equal(SequenceOutcome.Late, t.Observe(2, 2));
        Assert.Equal(1, t.Missing);
        Assert.Equal(SequenceOutcome.Duplicate, t.Observe(2, 2));
        Assert.Equal(1, t.Duplicates);
        Assert.Equal(1, t.Missing);
    }

    [Fact]
    public void Redelivery_OfABatch_CountsDuplicates_NotGaps()
    {
        var t = new SequenceTracker();
        for (var i = 1; i <= 100; i++) t.Observe(i, 1000 + i);
        for (var i = 51; i <= 100; i++) Assert.Equal(SequenceOutcome.Duplicate, t.Observe(i, 1000 + i));
        Assert.Equal((0L, 50L, 0L), (t.Missing, t.Duplicates, t.Resets));
    }

    [Fact]
    public void RestartedCounter_IsAReset_NotDuplicates()
    {
        var t = new SequenceTracker();
        for (var i = 1; i <= 500; i++) t.Observe(i, i);
        // The gateway restarted: seq 1 again, but stamped later than anything before.
        Assert.Equal(SequenceOutcome.Reset, t.Observe(1, 10_000));
        for (var i = 2; i <= 10; i++) Assert.Equal(SequenceOutcome.InOrder, t.Observe(i, 10_000 + i));
        Assert.Equal((0L, 0L, 1L), (t.Missing, t.Duplicates, t.Resets));
    }

    [Fact]
    public void HugeJump_BeyondTheWindow_StaysCountedAsMissing()
    {
        var t = new SequenceTracker();
        t.Observe(1, 1);
        t.Observe(1 + SequenceTracker.Window * 3, 2);
        Assert.Equal(SequenceTracker.Window * 3 - 1, t.Missing);
        Assert.Equal(SequenceOutcome.Late, t.Observe(2, 1));
        Assert.Equal(SequenceTracker.Window * 3 - 2, t.Missing);
    }

    [Fact]
    public void RandomShuffleWithDuplicates_CountsExactly()
    {
        var random = new Random(11);
        var seqs = Enumerable.Range(1, 3000).Where(i => i % 97 != 0).ToList();
        var lost = 3000 - seqs.Count;
        var dups = seqs.Where(_ => random.Next(20) == 0).ToList();
        // Shuffle within small windows, as redelivery after reconnect does.
        var sent = seqs.Concat(dups).OrderBy(s => s + random.Next(30)).ToList();
        var t = new SequenceTracker();
        foreach (var s in sent) t.Observe(s, s);
        var maxSent = sent.Max();
        Assert.Equal(dups.Count, t.Duplicates);
        Assert.Equal(Enumerable.Range(1, maxSent).Count(i => i % 97 == 0 && i > sent[0]), t.Missing);
        Assert.True(lost >= t.Missing);
    }
}
