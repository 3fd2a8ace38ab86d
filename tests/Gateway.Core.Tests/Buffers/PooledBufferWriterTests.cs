using Gateway.Core.Buffers;

namespace Gateway.Core.Tests.Buffers;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Write_BeyondCapacity_GrowsAndKeepsContent()
    {
        using var writer = new PooledBufferWriter(16);
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        foreach (var chunk in data.Chunk(333))
        {
            chunk.CopyTo(writer.GetSpan(chunk.Length));
            writer.Advance(chunk.Length);
        }
        Assert.Equal(5000, writer.WrittenCount);
        Assert.Equal(data, writer.WrittenMemory.ToArray());
        writer.Reset();
        Assert.Equal(0, writer.WrittenCount);
        Assert.True(writer.GetSpan().Length >= 5000);
    }

    [Fact]
    public void DropFront_KeepsTheRestAtTheFront_AndRefusesMoreThanWritten()
    {
        using var writer = new PooledBufferWriter();
        "first,second"u8.CopyTo(writer.GetSpan(12));
        writer.Advance(12);
        writer.DropFront(6);
        Assert.Equal("second"u8.ToArray(), writer.WrittenSpan.ToArray());
        writer.DropFront(0);
        Assert.Equal(6, writer.WrittenCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.DropFront(7));
        writer.DropFront(6);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Advance_PastObtainedSpan_Throws_AndDisposedWriterRefusesUse()
    {
        var writer = new PooledBufferWriter();
        int free = writer.GetSpan().Length;
        Assert.Throws<InvalidOperationException>(() => writer.Advance(free + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
    }

    [Fact]
    public void Reset_ReturnsAnArrayAboveTheKeepLimit_AndKeepsASmallOne()
    {
        using var writer = new PooledBufferWriter(keepBytes: 1024);
        writer.GetSpan(100);
        writer.Advance(100);
        writer.Reset();
        Assert.True(writer.GetSpan().Length is >= 256 and <= 1024, "a small array is kept");
        writer.GetSpan(64 * 1024);
        writer.Reset();
        Assert.True(writer.GetSpan().Length < 64 * 1024, "the large array went back to the pool");
    }
}
