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

    /// <summary>False: the bytes go into the writer and are read from it, not from this stream.</summary>
    public override bool CanRead => false;

    /// <summary>False: a writer only appends.</summary>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <summary>Bytes written through this stream.</summary>
    public override long Length => _written;

    /// <summary>Bytes written so far (as <see cref="Length"/>); setting it throws, a writer only appends.</summary>
    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Copies <paramref name="buffer"/> into the writer at once (no buffering of its own).</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(writer.GetSpan(buffer.Length));
        writer.Advance(buffer.Length);
        _written += buffer.Length;
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Nothing to do: every write already went into the writer.</summary>
    public override void Flush()
    {
    }

    /// <summary>Throws <see cref="NotSupportedException"/>: the stream is write-only.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Throws <see cref="NotSupportedException"/>: a writer only appends.</summary>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>Throws <see cref="NotSupportedException"/>: a writer only appends.</summary>
    public override void SetLength(long value) => throw new NotSupportedException();
}
