using System.Buffers;
using System.Text;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Memory;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Time;

namespace Gateway.Agent.Tests.Uplink;

/// <summary>The one batcher (pipeline → line protocol → journal): its limits, deadline and ending, deterministically.</summary>
public sealed class JournalBatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a guard against hangs, not a timing assertion

    private readonly ManualTimeProvider _manual = new();
    private readonly SignallingTimeProvider _time;
    private readonly SourceRegistry _registry = new();
    private readonly ReadingPipeline _pipeline = new(new PipelineOptions { Capacity = 10_000 });
    private readonly MemoryJournal _journal = new(16 << 20);
    private readonly SourceId _counter;
    private readonly ReadingEncoder _encoder;
    private readonly ClockDiscipline _clock;

    public JournalBatcherTests()
    {
        _time = new SignallingTimeProvider(_manual);
        _counter = _registry.Register("seq", Measurements.Counter).Id;
        _clock = new ClockDiscipline(_manual);
        _clock.SynchronizeFromSystemClock();
        _encoder = new ReadingEncoder(_registry, "cp-1", _clock);
    }

    public void Dispose() => _journal.Dispose();

    [Fact]
    public void FullBatches_AreAppendedAsOneRecordEach_InOrder()
    {
        using var batcher = Batcher(new BatcherOptions { MaxReadings = 10 });
        for (var i = 1; i <= 25; i++) Post(i);
        Assert.Equal(25, batcher.DrainAvailable());
        Assert.Equal(2, batcher.AppendedBatches);
        batcher.Flush();
        var records = ReadAll();
        Assert.Equal([10, 10, 5], records.Select(r => r.Items));
        Assert.Equal(Encoded(Enumerable.Range(1, 25)), Encoding.UTF8.GetBytes(string.Concat(records.Select(r => r.Text))));
    }

    [Fact]
    public void MaxBytes_SplitsBeforeTheLineThatWouldPassIt_AndNoRecordExceedsIt()
    {
        int lineLength = Encoded([1]).Length;
        int maxBytes = lineLength * 5 / 2;
        using var batcher = Batcher(new BatcherOptions { MaxReadings = 100, MaxBytes = maxBytes });
        for (var i = 1; i <= 5; i++) Post(i); // one digit each: every line is as long as the first
        batcher.DrainAvailable();
        batcher.Flush();
        var records = ReadAll();
        Assert.Equal([2, 2, 1], records.Select(r => r.Items));
        Assert.All(records, r => Assert.True(Encoding.UTF8.GetByteCount(r.Text) <= maxBytes));
        // The line that did not fit starts the next record whole (it was encoded once, into the full batch).
        Assert.Equal(Encoded([1, 2]), Encoding.UTF8.GetBytes(records[0].Text));
        Assert.Equal(Encoded([3, 4]), Encoding.UTF8.GetBytes(records[1].Text));
        Assert.Equal(Encoded([5]), Encoding.UTF8.GetBytes(records[2].Text));
    }

    [Fact]
    public void OneLineLargerThanMaxBytes_GoesAloneInItsRecord()
    {
        using var batcher = Batcher(new BatcherOptions { MaxBytes = 10 });
        Post(1);
        Post(2);
        batcher.DrainAvailable();
        batcher.Flush();
        var records = ReadAll();
        Assert.Equal([1, 1], records.Select(r => r.Items));
        Assert.Equal(Encoded([2]), Encoding.UTF8.GetBytes(records[1].Text));
    }

    [Fact]
    public async Task PartialBatch_IsAppendedAtTheDeadline_NotBefore()
    {
        using var batcher = Batcher(new BatcherOptions { MaxReadings = 100, MaxDelay = TimeSpan.FromSeconds(1) });
        Post(1);
        Post(2);
        var run = batcher.RunAsync(CancellationToken.None);
        await _time.TimerCreated.WaitAsync(Patience); // the batcher holds the readings and waits on its deadline

        _manual.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _journal.Statistics.AppendedRecords);
        _manual.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(SpinWait.SpinUntil(() => _journal.Statistics.AppendedRecords == 1, Patience), "the deadline did not flush the batch");
        Assert.Equal(2, _journal.Statistics.AppendedItems);

        _pipeline.Complete();
        await run.WaitAsync(Patience);
        Assert.Equal(1, _journal.Statistics.AppendedRecords);
    }

    [Fact]
    public async Task CompletedInput_FlushesTheLastPartialBatch()
    {
        using var batcher = Batcher(new BatcherOptions { MaxReadings = 100 });
        for (var i = 1; i <= 7; i++) Post(i);
        _pipeline.Complete();
        await batcher.RunAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(7, Assert.Single(ReadAll()).Items);
    }

    [Fact]
    public async Task EmptyInputCompleted_ReturnsWithoutRecords()
    {
        using var batcher = Batcher(new BatcherOptions());
        _pipeline.Complete();
        await batcher.RunAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Empty(ReadAll());
    }

    [Fact]
    public void SkippedReadings_AreNotCountedInRecords()
    {
        using var batcher = Batcher(new BatcherOptions());
        Post(double.NaN);
        Post(5);
        Post(double.NaN);
        batcher.DrainAvailable();
        batcher.Flush();
        Assert.Equal(1, Assert.Single(ReadAll()).Items);
        Assert.Equal(2, _encoder.SkippedReadings);
    }

    [Fact]
    public async Task Cancelled_ThrowsOperationCanceled()
    {
        using var batcher = Batcher(new BatcherOptions());
        using var cts = new CancellationTokenSource();
        var run = batcher.RunAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
    }

    [Fact]
    public void RefusedBatch_IsCountedAndTheBatcherGoesOn()
    {
        using var tiny = new MemoryJournal(100);
        using var batcher = new JournalBatcher(_pipeline.Reader, _encoder, tiny, new BatcherOptions { MaxReadings = 5 }, _time);
        for (var i = 1; i <= 10; i++) Post(i);
        batcher.DrainAvailable();
        Assert.Equal(10, batcher.RefusedReadings);
        Assert.Equal(10, tiny.Statistics.DroppedItems);
    }

    [Fact]
    public void Options_Invalid_AreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Batcher(new BatcherOptions { MaxReadings = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batcher(new BatcherOptions { MaxDelay = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batcher(new BatcherOptions { MaxBytes = 0 }));
    }

    [Fact]
    public async Task ThroughTheClockGate_HeldReadingsArriveReBased()
    {
        var clock = new ClockDiscipline(_manual);
        var encoder = new ReadingEncoder(_registry, "cp-1", clock);
        var gate = new ClockGate(_pipeline.Reader, clock, new ClockGateOptions(), _manual);
        using var batcher = new JournalBatcher(gate, encoder, _journal, new BatcherOptions { MaxReadings = 2 }, _manual);
        var run = batcher.RunAsync(CancellationToken.None);
        Post(1);
        _manual.Advance(TimeSpan.FromSeconds(1));
        Post(2);
        // GPS: the system clock is an hour behind.
        var trueNow = _manual.GetUtcNow().AddHours(1);
        clock.Synchronize(trueNow, _manual.GetTimestamp(), ClockSource.Gps);
        _pipeline.Complete();
        await run.WaitAsync(Patience);
        var text = string.Concat(ReadAll().Select(r => r.Text));
        Assert.DoesNotContain("time_quality", text, StringComparison.Ordinal);
        // Seq n is captured n ms after the moment it was posted (At).
        Assert.Contains($" {trueNow.AddSeconds(-1).ToUnixTimeMilliseconds() + 1}\n", text, StringComparison.Ordinal);
        Assert.EndsWith($" {trueNow.ToUnixTimeMilliseconds() + 2}\n", text, StringComparison.Ordinal);
    }

    private JournalBatcher Batcher(BatcherOptions options) => new(_pipeline.Reader, _encoder, _journal, options, _time);

    // Each seq is captured its own number of milliseconds from now: readings of one source at one millisecond would be
    // one point in the store, so the encoder writes them a millisecond apart, and the expected bytes could not repeat it.
    private void Post(double seq) => Assert.True(_pipeline.TryWrite(new Reading(_counter, At(seq), ReadingValues.From([seq]))));

    private long At(double seq) => _manual.GetTimestamp() + (long)(seq * _manual.TimestampFrequency / 1000);

    private byte[] Encoded(IEnumerable<int> seqs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var encoder = new ReadingEncoder(_registry, "cp-1", _clock);
        foreach (var seq in seqs) encoder.Encode(new Reading(_counter, At(seq), ReadingValues.From([seq])), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private List<(int Items, string Text)> ReadAll()
    {
        var all = new List<(int, string)>();
        while (_journal.TryRead(JournalLane.Telemetry, out var r))
        {
            using (r) all.Add((r.ItemCount, Encoding.UTF8.GetString(r.Payload.Span)));
        }
        return all;
    }
}
