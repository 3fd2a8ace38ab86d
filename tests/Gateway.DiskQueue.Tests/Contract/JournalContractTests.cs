using System.Text;
using Gateway.DiskQueue;

namespace Gateway.DiskQueue.Tests.Contract;

/// <summary>
/// The one contract both journals meet (issue 4): run by <see cref="MemoryJournalContractTests"/> and
/// <see cref="DiskJournalContractTests"/>. Quotas here are loose enough for the disk's whole-segment drops.
/// </summary>
public abstract class JournalContractTests : IDisposable
{
    /// <summary>A journal with room for at least <paramref name="quotaBytes"/> bytes of records.</summary>
    protected abstract Journal Create(long quotaBytes);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_ReturnsRecordsInAppendOrder_WithIdsAndCounts()
    {
        using var journal = Create(1 << 20);
        Assert.True(journal.Append(JournalLane.Telemetry, Payload("a 1\n"), 1));
        Assert.True(journal.Append(JournalLane.Telemetry, Payload("b 1\nc 2\n"), 2));
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var first));
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var second));
        Assert.False(journal.TryRead(JournalLane.Telemetry, out _));
        using (first)
        using (second)
        {
            Assert.Equal("a 1\n", Encoding.UTF8.GetString(first.Payload.Span));
            Assert.Equal("b 1\nc 2\n", Encoding.UTF8.GetString(second.Payload.Span));
            Assert.Equal((1, 1), (first.Id, first.ItemCount));
            Assert.Equal((2, 2), (second.Id, second.ItemCount));
        }
        Assert.Equal(2, journal.Statistics.AppendedRecords);
        Assert.Equal(3, journal.Statistics.AppendedItems);
    }

    [Fact]
    public void Lanes_AreIndependent()
    {
        using var journal = Create(1 << 20);
        journal.Append(JournalLane.Telemetry, Payload("t"), 1);
        journal.Append(JournalLane.Event, Payload("e"), 1);
        Assert.True(journal.TryRead(JournalLane.Event, out var e));
        using (e) Assert.Equal("e", Encoding.UTF8.GetString(e.Payload.Span));
        Assert.False(journal.TryRead(JournalLane.Event, out _));
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var t));
        t.Dispose();
    }

    [Fact]
    public void Acknowledge_RemovesRecordsAndUpdatesDepth()
    {
        using var journal = Create(1 << 20);
        for (var i = 0; i < 5; i++) journal.Append(JournalLane.Telemetry, Payload($"r{i}"), 1);
        Assert.Equal(5, journal.UnacknowledgedRecords);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(journal.TryRead(JournalLane.Telemetry, out var r));
            r.Dispose();
        }
        journal.Acknowledge(JournalLane.Telemetry, 3);
        Assert.Equal(2, journal.UnacknowledgedRecords);
        journal.Acknowledge(JournalLane.Telemetry, 2); // behind the cursor: ignored
        Assert.Equal(2, journal.UnacknowledgedRecords);
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var fourth));
        using (fourth) Assert.Equal(4, fourth.Id);
    }

    [Fact]
    public void OldestUnacknowledged_IsTheFirstUnackedRecord_ThenNull()
    {
        using var journal = Create(1 << 20);
        Assert.Null(journal.OldestUnacknowledgedUnixMs);
        journal.Append(JournalLane.Telemetry, Payload("x"), 1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.InRange(journal.OldestUnacknowledgedUnixMs!.Value, now - 60_000, now + 1000);
        Assert.True(journal.TryRead(JournalLane.Telemetry, out var r));
        r.Dispose();
        Assert.NotNull(journal.OldestUnacknowledgedUnixMs);
        journal.Acknowledge(JournalLane.Telemetry, 1);
        Assert.Null(journal.OldestUnacknowledgedUnixMs);
    }

    [Fact]
    public async Task WaitForAppend_CompletesOnAppend()
    {
        using var journal = Create(1 << 20);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var wait = journal.WaitForAppendAsync(cts.Token).AsTask();
        Assert.False(wait.IsCompleted);
        journal.Append(JournalLane.Telemetry, Payload("x"), 1);
        await wait;
    }

    [Fact]
    public void Quota_DropsOldestTelemetryFirst_KeepsEvents_CountsEveryDrop()
    {
        const long quota = 64 * 1024;
        using var journal = Create(quota);
        long episodes = 0;
        journal.DropEpisodeStarted += _ => episodes++;
        var payload = new byte[1000];
        for (var i = 0; i < 10; i++) Assert.True(journal.Append(JournalLane.Event, Payload($"event {i}"), 1));
        var telemetry = 0;
        for (; telemetry < 400; telemetry++) journal.Append(JournalLane.Telemetry, payload, 3);

        Assert.True(journal.Bytes <= quota, $"{journal.Bytes} bytes exceed the quota of {quota}");
        Assert.Equal(1, episodes);
        var events = ReadAll(journal, JournalLane.Event);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"event {i}"), events.Select(e => Encoding.UTF8.GetString(e)));
        var kept = ReadAll(journal, JournalLane.Telemetry).Count;
        Assert.True(kept > 0);
        // Every telemetry record is either still readable or counted as dropped, with its items.
        Assert.Equal(400 - kept, journal.Statistics.DroppedRecords);
        Assert.Equal(3 * (400 - kept), journal.Statistics.DroppedItems);
    }

    [Fact]
    public void Quota_EventsAlone_DropOldestEvents_AndTelemetryThatDoesNotFitIsRefusedAndCounted()
    {
        const long quota = 64 * 1024;
        using var journal = Create(quota);
        for (var i = 0; i < 200; i++) Assert.True(journal.Append(JournalLane.Event, new byte[900], 1));
        Assert.True(journal.Bytes <= quota);
        var events = ReadAll(journal, JournalLane.Event);
        Assert.InRange(events.Count, 1, 199);
        Assert.Equal(200 - events.Count, journal.Statistics.DroppedRecords);

        // No telemetry to drop, and events are not dropped for telemetry: a record that does not fit is refused.
        var room = (int)(quota - journal.Bytes);
        Assert.False(journal.Append(JournalLane.Telemetry, new byte[room], 7));
        Assert.Equal(200 - events.Count + 1, journal.Statistics.DroppedRecords);
        Assert.Equal(200 - events.Count + 7, journal.Statistics.DroppedItems);
        Assert.False(journal.TryRead(JournalLane.Telemetry, out _));
    }

    protected static List<byte[]> ReadAll(Journal journal, JournalLane lane)
    {
        var all = new List<byte[]>();
        while (journal.TryRead(lane, out var r))
        {
            using (r) all.Add(r.Payload.ToArray());
        }
        return all;
    }
}
