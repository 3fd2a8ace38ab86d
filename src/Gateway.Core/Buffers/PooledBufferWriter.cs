using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Gateway.Core.Buffers;

/// <summary>
/// The one grow-by-renting <see cref="IBufferWriter{T}"/> (STYLE.md habit 16): one array rented from
/// <see cref="ArrayPool{T}.Shared"/>, reusable through <see cref="Reset"/> so that a steady state allocates nothing.
/// Growing rents a larger array (at least double) and returns the old one.
/// </summary>
/// <remarks>
/// <see cref="WrittenMemory"/> and <see cref="WrittenSpan"/> are valid until the next write, <see cref="Reset"/> or
/// <see cref="Dispose"/>; copy what must outlive that. Not thread-safe. The owner disposes it to return the array.
/// </remarks>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumCapacity = 256;

    private readonly int _keepBytes;
    private byte[] _buffer = [];
    private int _written;
    private bool _disposed;

    /// <param name="initialCapacity">Rented at once when above 0; otherwise the first write rents.</param>
    /// <param name="keepBytes">
    /// <see cref="Reset"/> returns an array larger than this to the pool, so that a writer living in a pooled object
    /// does not hold on to the one huge array a rare large message needed; by default it keeps any.
    /// </param>
    public PooledBufferWriter(int initialCapacity = 0, int keepBytes = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(keepBytes);
        _keepBytes = keepBytes;
        if (initialCapacity > 0) _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumCapacity));
    }

    /// <summary>Bytes written since construction or the last <see cref="Reset"/>.</summary>
    public int WrittenCount => _written;

    /// <summary>The written bytes; valid until the next write, <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The written bytes; valid until the next write, <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Forgets the written bytes; keeps the array for reuse unless it is larger than the keep limit.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length <= _keepBytes) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>
    /// Forgets the first <paramref name="count"/> written bytes and moves the rest to the front, so that a caller that
    /// wrote one record too many into a batch can send the batch and keep that record without encoding it again.
    /// </summary>
    public void DropFront(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _written);
        _buffer.AsSpan(count, _written - count).CopyTo(_buffer);
        _written -= count;
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the last span or memory obtained; throws if that
    /// goes past what was obtained (a caller bug that would otherwise expose stale pooled bytes).</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
            throw new InvalidOperationException($"Advance({count}) goes past the {_buffer.Length - _written} bytes obtained from GetSpan/GetMemory.");
        _written += count;
    }

    /// <summary>Free space after the written bytes, at least <paramref name="sizeHint"/> bytes (at least 1 when 0);
    /// valid until the next <see cref="Advance"/>, growth, <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <summary>As <see cref="GetMemory"/>, as a span.</summary>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns the array to the pool. Idempotent; the writer cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    [SuppressMessage("Usage", "CA2201", Justification = "Past Array.MaxLength there is no memory to have: the BCL's ArrayBufferWriter throws OutOfMemoryException here too.")]
    private void EnsureFree(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        int size = (int)Math.Min(Array.MaxLength, Math.Max(Math.Max((long)_buffer.Length * 2, MinimumCapacity), (long)_written + needed));
        if (size - _written < needed) throw new OutOfMemoryException($"A pooled buffer cannot grow past {Array.MaxLength} bytes.");
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
