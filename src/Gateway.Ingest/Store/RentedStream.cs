using System.Buffers;

namespace Gateway.Ingest.Store;

/// <summary>
/// A write-only stream over a rented array that grows by renting a bigger one. Ownership: the array passed in is
/// owned by the caller; once the stream grows, that array goes back to the pool here and the caller owns
/// <see cref="Buffer"/> instead (and must return it).
/// </summary>
internal sealed class RentedStream(byte[] initial) : Stream
{
    private int _length;

    public byte[] Buffer { get; private set; } = initial;

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > Buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, _length + buffer.Length));
            Buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = bigger;
        }
        buffer.CopyTo(Buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
