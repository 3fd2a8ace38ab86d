using System.Text;
using Gateway.Ingest.Batching;
using Gateway.Ingest.Store;
using Gateway.Ingest.Tests.Store;
using Gateway.TestKit.Logging;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Ingest.Tests.Batching;

public sealed class BatchWriterTests
{
    [Fact]
    public async Task Permanent_BisectsToTheBadLines_WritesTheRest_CountsTheDropped()
    {
        // A store that rejects any request containing a line with "bad" (like a 2.x that writes nothing on a 400).
        var store = new FakeStore(lines => lines.Any(l => l.Contains("bad", StringComparison.Ordinal)) ? new(StoreWriteOutcome.Permanent, "type conflict") : StoreWriteResult.Written);
        var stats = new IngestStatistics();
        var writer = new BatchWriter(store, stats, TimeProvider.System, NullLogger.Instance);
        var lines = Enumerable.Range(0, 100).Select(i => i is 17 or 60 ? $"bad{i} f=1 {i}" : $"ok{i} f=1 {i}").ToList();
        await writer.WriteAsync(Bytes(lines), lines.Count, CancellationToken.None);
        Assert.Equal(98, stats.PointsWritten);
        Assert.Equal(2, stats.RejectedByStore);
        Assert.Equal(lines.Where(l => l.StartsWith("ok", StringComparison.Ordinal)).Order(), store.Stored.Order());
    }

    [Fact]
    public async Task TooLarge_SplitsUntilItFits()
    {
        var store = new FakeStore(lines => lines.Count > 10 ? new(StoreWriteOutcome.TooLarge, "413") : StoreWriteResult.Written);
        var stats = new IngestStatistics();
        var lines = Enumerable.Range(0, 77).Select(i => $"m f={i} {i}").ToList();
        await new BatchWriter(store, stats, TimeProvider.System, NullLogger.Instance).WriteAsync(Bytes(lines), lines.Count, CancellationToken.None);
        Assert.Equal(77, stats.PointsWritten);
        Assert.True(stats.Splits > 0);
        Assert.Equal(lines.Order(), store.Stored.Order());
    }

    [Fact]
    public async Task Retryable_IsRetriedWithBackoff_UntilTheStoreComesBack()
    {
        var manual = new ManualTimeProvider();
        var time = new SignallingTimeProvider(manual);
        var failures = 3;
        var store = new FakeStore(_ => failures-- > 0 ? new(StoreWriteOutcome.Retryable, "down") : StoreWriteResult.Written);
        var stats = new IngestStatistics();
        var writer = new BatchWriter(store, stats, time, NullLogger.Instance);
        var write = writer.WriteAsync(Bytes(["m f=1 1"]), 1, CancellationToken.None);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            // Each retry arms one timer; the clock moves by exactly its delay, so the delays themselves are checked.
            Assert.True(await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(20)), $"retry {i + 1} armed no timer");
            Assert.True(time.DueTimes.TryDequeue(out var due));
            delays.Add(due);
            manual.Advance(due);
        }
        await write.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, stats.StoreRetries);
        // 1 s, 2 s, 4 s (doubling from MinRetry), each less up to 20 % jitter: a constant or non-doubling delay fails.
        for (var i = 0; i < 3; i++)
        {
            var full = BatchWriter.MinRetry * Math.Pow(2, i);
            Assert.InRange(delays[i], full * 0.8, full);
        }
        Assert.Equal(1, stats.PointsWritten);
        Assert.False(writer.StoreFailing);
    }

    [Fact]
    public async Task Unauthorized_IsRetried_CountedApart_AndLoggedOnce()
    {
        var time = new ManualTimeProvider();
        var failures = 4;
        var store = new FakeStore(_ => failures-- > 0 ? new(StoreWriteOutcome.Unauthorized, "refused user 'ingest' with the password in /etc/p") : StoreWriteResult.Written);
        var stats = new IngestStatistics();
        var log = new RecordingLogger();
        var writer = new BatchWriter(store, stats, time, log);
        var write = writer.WriteAsync(Bytes(["m f=1 1"]), 1, CancellationToken.None);
        for (var i = 0; i < 400 && !write.IsCompleted; i++)
        {
            await Task.Delay(5);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((4, 4, 1L), (stats.StoreAuthFailures, stats.StoreRetries, stats.PointsWritten));
        Assert.Single(log.Lines, l => l.Message.Contains("/etc/p", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttled_WaitsForRetryAfter_NotTheBackoff()
    {
        var time = new ManualTimeProvider();
        var first = true;
        var store = new FakeStore(_ =>
        {
            if (!first) return StoreWriteResult.Written;
            first = false;
            return new(StoreWriteOutcome.Throttled, "429", TimeSpan.FromSeconds(20));
        });
        var write = new BatchWriter(store, new IngestStatistics(), time, NullLogger.Instance).WriteAsync(Bytes(["m f=1 1"]), 1, CancellationToken.None);
        await Task.Delay(50);
        time.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(50);
        Assert.False(write.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await write.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelled_WhileStoreIsDown_ThrowsAndWritesNothing()
    {
        var store = new FakeStore(_ => new(StoreWriteOutcome.Retryable, "down"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stats = new IngestStatistics();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BatchWriter(store, stats, TimeProvider.System, NullLogger.Instance).WriteAsync(Bytes(["m f=1 1"]), 1, cts.Token));
        Assert.Equal(0, stats.PointsWritten);
    }

    [Theory]
    [InlineData("a\nb\nc\nd\n", "a\nb\n", "c\nd\n")]
    [InlineData("aaaaaaaaaa\nb\n", "aaaaaaaaaa\n", "b\n")]
    [InlineData("only one line\n", "", "only one line\n")]
    [InlineData("", "", "")]
    public void Halve_SplitsAtALineBoundary(string input, string first, string second)
    {
        var (a, b) = LineSplit.Halve(Encoding.UTF8.GetBytes(input));
        Assert.Equal((first, second), (Encoding.UTF8.GetString(a.Span), Encoding.UTF8.GetString(b.Span)));
    }

    private static byte[] Bytes(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
}
