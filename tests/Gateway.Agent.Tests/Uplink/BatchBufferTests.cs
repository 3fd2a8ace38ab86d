using Gateway.Agent.Uplink;
using Gateway.Telemetry.Pipeline;

namespace Gateway.Agent.Tests.Uplink;

public sealed class BatchBufferTests
{
    [Fact]
    public async Task Take_ReturnsBatchesInOrder()
    {
        var buffer = new BatchBuffer(1024);
        buffer.Add(Batch(10, 1));
        buffer.Add(Batch(20, 2));
        using var a = await buffer.TakeAsync(CancellationToken.None);
        using var b = await buffer.TakeAsync(CancellationToken.None);
        Assert.Equal(1, a!.ReadingCount);
        Assert.Equal(2, b!.ReadingCount);
        Assert.Equal(0, buffer.Bytes);
    }

    [Fact]
    public async Task Add_BeyondLimit_DropsOldestAndCountsReadings()
    {
        var buffer = new BatchBuffer(100);
        long episodes = 0;
        buffer.DropEpisodeStarted += _ => episodes++;
        buffer.Add(Batch(40, 3));
        buffer.Add(Batch(40, 4));
        buffer.Add(Batch(40, 5));   // 120 > 100: the 3-reading batch goes
        buffer.Add(Batch(40, 6));   // the 4-reading batch goes
        Assert.Equal(2, buffer.DroppedBatches);
        Assert.Equal(7, buffer.DroppedReadings);
        Assert.Equal(80, buffer.Bytes);
        Assert.Equal(1, episodes);
        using var first = await buffer.TakeAsync(CancellationToken.None);
        Assert.Equal(5, first!.ReadingCount);
    }

    [Fact]
    public async Task Take_AfterComplete_DrainsThenReturnsNullEveryTime()
    {
        var buffer = new BatchBuffer(1024);
        buffer.Add(Batch(5, 1));
        buffer.Complete();
        using (var b = await buffer.TakeAsync(CancellationToken.None)) Assert.NotNull(b);
        Assert.Null(await buffer.TakeAsync(CancellationToken.None));
        Assert.Null(await buffer.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Throws<InvalidOperationException>(() => buffer.Add(Batch(5, 1)));
    }

    [Fact]
    public async Task Take_WaitsUntilABatchArrives()
    {
        var buffer = new BatchBuffer(1024);
        var take = buffer.TakeAsync(CancellationToken.None).AsTask();
        Assert.False(take.IsCompleted);
        buffer.Add(Batch(5, 9));
        using var batch = await take.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9, batch!.ReadingCount);
    }

    private static EncodedBatch Batch(int bytes, int readings) => EncodedBatch.Copy(new byte[bytes], readings);
}
