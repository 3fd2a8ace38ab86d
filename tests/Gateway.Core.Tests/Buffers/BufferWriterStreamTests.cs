using System.IO.Compression;
using Gateway.Core.Buffers;

namespace Gateway.Core.Tests.Buffers;

public sealed class BufferWriterStreamTests
{
    [Fact]
    public void Gzip_WrittenThroughTheStream_LandsInThePooledWriter_WhichGrowsForIt()
    {
        var data = new byte[200_000]; // random: incompressible, so the output outgrows the initial 256 bytes many times
        new Random(7).NextBytes(data);
        using var writer = new PooledBufferWriter(256);

        using (var gzip = new GZipStream(new BufferWriterStream(writer), CompressionLevel.Fastest)) gzip.Write(data);

        Assert.True(writer.WrittenCount > data.Length / 2);
        using var inflated = new MemoryStream();
        using (var gunzip = new GZipStream(new MemoryStream(writer.WrittenMemory.ToArray()), CompressionMode.Decompress)) gunzip.CopyTo(inflated);
        Assert.Equal(data, inflated.ToArray());
    }

    [Fact]
    public void Write_CountsWhatWentThrough_AndDisposingTheStreamLeavesTheWriterUsable()
    {
        using var writer = new PooledBufferWriter();
        using (var stream = new BufferWriterStream(writer))
        {
            stream.Write("line "u8);
            stream.WriteByte((byte)'1');
            Assert.Equal(6, stream.Length);
            Assert.False(stream.CanRead);
        }
        writer.GetSpan(1)[0] = (byte)'\n';
        writer.Advance(1);
        Assert.Equal("line 1\n"u8.ToArray(), writer.WrittenSpan.ToArray());
    }
}
