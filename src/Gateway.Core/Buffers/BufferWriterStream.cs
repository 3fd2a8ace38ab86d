using System.Buffers;

namespace Gateway.Core.Buffers;

/// <summary>
/// A write-only <see cref="Stream"/> over an <see cref="IBufferWriter{T}"/>, for APIs that only write to streams
/// (<see cref="System.IO.Compression.GZipStream"/>): the bytes go straight into the writer, whose growth and
/// ownership rules apply (<see cref="PooledBufferWriter"/> is the one that rents). Disposing the stream leaves the
/// writer alone; its owner disposes it.
/// </summary>
public sealed class BufferWriterStream(IBufferWriter<byte> writer) : Stream
{
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;

    /// <summary>Bytes written through this stream.</summary>
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(writer.GetSpan(buffer.Length));
        writer.Advance(buffer.Length);
        _written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
