using System.Buffers;
using System.Threading.Channels;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Pipeline;

public sealed class BatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a guard against hangs, not a timing assertion

    private readonly ManualTimeProvider _manual = new();
    private readonly SignallingTimeProvider _time;
    private readonly ReadingEncoder _encoder;
    private readonly ReadingPipeline _pipeline = new(new PipelineOptions { Capacity = 1024 });
    private readonly Channel<EncodedBatch> _batches = Channel.CreateUnbounded<EncodedBatch>();
    private readonly List<EncodedBatch> _received = [];

    public BatcherTests()
    {
        _time = new SignallingTimeProvider(_manual);
        var sources = new SourceRegistry();
        sources.Register("counter", Measurements.Counter);
        var clock = new ClockDiscipline(_manual);
        clock.SynchronizeFromSystemClock();
        _encoder = new ReadingEncoder(sources, "gw-01", clock);
    }

    public void Dispose()
    {
        foreach (var batch in _received) batch.Dispose();
    }

    private static Reading R(double seq) => new(new SourceId(0), 0, ReadingValues.From([seq]));

    private Task Run(BatcherOptions options, CancellationToken cancellationToken = default) =>
        new Batcher(_pipeline.Reader, _encoder, options, _time).RunAsync((batch, _) => _batches.Writer.WriteAsync(batch), cancellationToken);

    private async Task<EncodedBatch> NextBatch()
    {
        var batch = await _batches.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        _received.Add(batch);
        return batch;
    }

    private byte[] Encoded(IEnumerable<double> seqs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (double seq in seqs) _encoder.Encode(R(seq), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task RunAsync_MaxReadings_SplitsBatchesAndFlushesTheRestOnCompletion()
    {
        for (int i = 0; i < 7; i++) _pipeline.TryWrite(R(i));
        _pipeline.Complete();
        await Run(new BatcherOptions { MaxReadings = 3 }).WaitAsync(Patience);
        _batches.Writer.Complete();

        var counts = new List<int>();
        var payload = new List<byte>();
        await foreach (var batch in _batches.Reader.ReadAllAsync())
        {
            _received.Add(batch);
            counts.Add(batch.ReadingCount);
            payload.AddRange(batch.Payload.ToArray());
        }
        Assert.Equal([3, 3, 1], counts);
        Assert.Equal(Encoded(Enumerable.Range(0, 7).Select(i => (double)i)), payload);
    }

    [Fact]
    public async Task RunAsync_MaxBytes_NeverExceedsTheLimit()
    {
        int lineLength = Encoded([1]).Length;
        for (int i = 0; i < 5; i++) _pipeline.TryWrite(R(1));
        _pipeline.Complete();
        await Run(new BatcherOptions { MaxReadings = 100, MaxBytes = lineLength * 5 / 2 }).WaitAsync(Patience);
        _batches.Writer.Complete();

        var batches = new List<EncodedBatch>();
        await foreach (var batch in _batches.Reader.ReadAllAsync()) batches.Add(batch);
        _received.AddRange(batches);
        Assert.Equal([2, 2, 1], batches.Select(b => b.ReadingCount));
        Assert.All(batches, b => Assert.True(b.Payload.Length <= lineLength * 5 / 2));
        Assert.Equal(Encoded([1, 1]), batches[0].Payload.ToArray());
    }

    [Fact]
    public async Task RunAsync_OneLineLargerThanMaxBytes_GoesAloneInItsBatch()
    {
        _pipeline.TryWrite(R(1));
        _pipeline.TryWrite(R(2));
        _pipeline.Complete();
        await Run(new BatcherOptions { MaxBytes = 10 }).WaitAsync(Patience);
        Assert.Equal(1, (await NextBatch()).ReadingCount);
        Assert.Equal(Encoded([2]), (await NextBatch()).Payload.ToArray());
    }

    [Fact]
    public async Task RunAsync_MaxDelayAfterFirstReading_FlushesPartialBatch()
    {
        var run = Run(new BatcherOptions { MaxReadings = 100, MaxDelay = TimeSpan.FromSeconds(1) });
        _pipeline.TryWrite(R(1));
        await _time.TimerCreated.WaitAsync(Patience); // the batcher holds the reading and waits on its deadline

        _manual.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(_batches.Reader.TryRead(out _));
        _manual.Advance(TimeSpan.FromMilliseconds(1));
        var batch = await NextBatch();
        Assert.Equal(1, batch.ReadingCount);
        Assert.Equal(Encoded([1]), batch.Payload.ToArray());

        _pipeline.TryWrite(R(2));
        _pipeline.Complete();
        await run.WaitAsync(Patience);
        Assert.Equal(Encoded([2]), (await NextBatch()).Payload.ToArray());
    }

    [Fact]
    public async Task RunAsync_SkippedReadings_AreNotCountedInBatches()
    {
        _pipeline.TryWrite(R(double.NaN));
        _pipeline.TryWrite(R(5));
        _pipeline.TryWrite(R(double.NaN));
        _pipeline.Complete();
        await Run(new BatcherOptions()).WaitAsync(Patience);
        var batch = await NextBatch();
        Assert.Equal(1, batch.ReadingCount);
        Assert.Equal(2, _encoder.SkippedReadings);
        Assert.False(_batches.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_EmptyInputCompleted_ReturnsWithoutBatches()
    {
        _pipeline.Complete();
        await Run(new BatcherOptions()).WaitAsync(Patience);
        Assert.False(_batches.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var run = Run(new BatcherOptions(), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
    }

    [Fact]
    public void Options_Invalid_AreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Batcher(_pipeline.Reader, _encoder, new BatcherOptions { MaxReadings = 0 }, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Batcher(_pipeline.Reader, _encoder, new BatcherOptions { MaxDelay = TimeSpan.Zero }, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Batcher(_pipeline.Reader, _encoder, new BatcherOptions { MaxBytes = 0 }, _time));
    }

    [Fact]
    public void EncodedBatch_Dispose_IsIdempotentAndInvalidatesPayload()
    {
        var batch = EncodedBatch.Copy("a f=1\n"u8, 1);
        Assert.Equal("a f=1\n"u8.ToArray(), batch.Payload.ToArray());
        batch.Dispose();
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Payload);
    }

    /// <summary>Lets a test wait until the batcher has armed its deadline timer before it moves the clock.</summary>
    private sealed class SignallingTimeProvider(ManualTimeProvider inner) : TimeProvider
    {
        public SemaphoreSlim TimerCreated { get; } = new(0);

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            TimerCreated.Release();
            return timer;
        }
    }
}
