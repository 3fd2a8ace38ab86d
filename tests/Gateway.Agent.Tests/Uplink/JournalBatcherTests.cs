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

public sealed class JournalBatcherTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly SourceRegistry _registry = new();
    private readonly ReadingPipeline _pipeline = new(new PipelineOptions { Capacity = 10_000 });
    private readonly MemoryJournal _journal = new(16 << 20);
    private readonly SourceId _counter;
    private readonly ReadingEncoder _encoder;

    public JournalBatcherTests()
    {
        _counter = _registry.Register("seq", Measurements.Counter).Id;
        var clock = new ClockDiscipline(_time);
        clock.SynchronizeFromSystemClock();
        _encoder = new ReadingEncoder(_registry, "cp-1", clock);
    }

    public void Dispose() => _journal.Dispose();

    [Fact]
    public void FullBatches_AreAppendedAsOneRecordEach_InOrder()
    {
        using var batcher = Batcher(maxReadings: 10);
        for (var i = 1; i <= 25; i++) Post(i);
        Assert.Equal(25, batcher.DrainAvailable());
        Assert.Equal(2, batcher.AppendedBatches);
        batcher.Flush();
        var records = ReadAll();
        Assert.Equal([10, 10, 5], records.Select(r => r.Items));
        var lines = records.SelectMany(r => r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(25, lines.Count);
        Assert.All(lines.Select((l, i) => (l, i)), x => Assert.Contains($" seq={x.i + 1}i ", x.l));
    }

    [Fact]
    public async Task PartialBatch_IsAppendedAtTheDeadline()
    {
        using var batcher = Batcher(maxReadings: 100, maxDelay: TimeSpan.FromSeconds(1));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = batcher.RunAsync(cts.Token);
        Post(1);
        Post(2);
        while (_journal.Statistics.AppendedRecords == 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(10);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }
        Assert.Equal(2, _journal.Statistics.AppendedItems);
        _pipeline.Complete();
        await run;
    }

    [Fact]
    public async Task CompletedInput_FlushesTheLastPartialBatch()
    {
        using var batcher = Batcher(maxReadings: 100);
        for (var i = 1; i <= 7; i++) Post(i);
        _pipeline.Complete();
        await batcher.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(7, Assert.Single(ReadAll()).Items);
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

    private JournalBatcher Batcher(int maxReadings, TimeSpan? maxDelay = null) =>
        new(_pipeline.Reader, _encoder, _journal, new BatcherOptions { MaxReadings = maxReadings, MaxDelay = maxDelay ?? TimeSpan.FromSeconds(1) }, _time);

    private void Post(long seq) => Assert.True(_pipeline.TryWrite(new Reading(_counter, _time.GetTimestamp(), ReadingValues.From([seq]))));

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
