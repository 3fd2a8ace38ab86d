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

    /// <summary>The lane the record was appended to; its id and cursor belong to that lane.</summary>
    public JournalLane Lane { get; }

    /// <summary>1, 2, 3... within the lane, never reused: what <see cref="Journal.Acknowledge"/> takes.</summary>
    public long Id { get; }

    /// <summary>Readings (or events) in the payload, as the appender said; counted in drops.</summary>
    public int ItemCount { get; }

    /// <summary>When the record was appended, Unix milliseconds of the journal's clock (for the oldest-unsent age).</summary>
    public long AppendedUnixMs { get; }

    /// <summary>The bytes as appended; valid until <see cref="Dispose"/> (rented: do not keep a reference).</summary>
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
