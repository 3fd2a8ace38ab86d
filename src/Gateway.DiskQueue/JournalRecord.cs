using System.Buffers;

namespace Gateway.DiskQueue;

/// <summary>
/// One record read from a <see cref="Journal"/>: its lane, its id (1, 2, 3... per lane, never reused), how many items
/// (readings) it holds, when it was appended, and its payload in an array rented from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// Ownership: the reader owns the record and disposes it exactly once when done with <see cref="Payload"/> (for the
/// publisher: after the PUBACK, because until then the MQTT client may need the bytes again). <see cref="Payload"/> is
/// valid until <see cref="Dispose"/>.
/// </remarks>
public sealed class JournalRecord : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    internal JournalRecord(JournalLane lane, long id, int itemCount, long appendedUnixMs, byte[] rented, int length)
    {
        Lane = lane;
        Id = id;
        ItemCount = itemCount;
        AppendedUnixMs = appendedUnixMs;
        _buffer = rented;
        _length = length;
    }

    public JournalLane Lane { get; }
    public long Id { get; }
    public int ItemCount { get; }
    public long AppendedUnixMs { get; }

    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, _length);
        }
    }

    internal static JournalRecord Copy(JournalLane lane, long id, int itemCount, long appendedUnixMs, ReadOnlySpan<byte> payload)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(rented);
        return new JournalRecord(lane, id, itemCount, appendedUnixMs, rented, payload.Length);
    }

    /// <summary>Returns the payload's array to the pool. Idempotent and thread-safe.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
    }
}
