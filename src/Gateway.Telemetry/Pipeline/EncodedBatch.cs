using System.Buffers;

namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// A batch of encoded readings (line protocol, one point per line) in an array rented from
/// <see cref="ArrayPool{T}.Shared"/>. Whoever holds the batch owns it and must dispose it exactly when done with
/// <see cref="Payload"/>, which returns the array; <see cref="Payload"/> is valid until then.
/// </summary>
public sealed class EncodedBatch : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private EncodedBatch(byte[] buffer, int length, int readingCount)
    {
        _buffer = buffer;
        _length = length;
        ReadingCount = readingCount;
    }

    /// <summary>The encoded lines; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, _length);
        }
    }

    /// <summary>Readings (lines) in the payload.</summary>
    public int ReadingCount { get; }

    /// <summary>Copies <paramref name="payload"/> into a rented array; the caller owns and disposes the result.</summary>
    public static EncodedBatch Copy(ReadOnlySpan<byte> payload, int readingCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(readingCount);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        return new EncodedBatch(buffer, payload.Length, readingCount);
    }

    /// <summary>Returns the array to the pool. Idempotent and thread-safe.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
    }
}
