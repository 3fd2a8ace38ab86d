using System.Buffers;

namespace Gateway.Ingest.Store;

/// <summary>
/// Lines made ready for one or more attempts at writing them (<see cref="StoreWriter.Prepare"/>): the lines themselves
/// and, when the store takes gzip, their compressed form in a rented buffer. Preparing is separate from writing so that
/// the ingest can compress the next batch while earlier writes are in flight instead of inside a write slot.
/// Ownership: the lines are borrowed (valid as long as the batch that holds them); the compressed buffer is this
/// object's and goes back to the pool on <see cref="Dispose"/>.
/// </summary>
public sealed class StoreBody : IDisposable
{
    private byte[]? _compressed;

    internal StoreBody(ReadOnlyMemory<byte> lines, byte[]? compressed, int compressedLength)
    {
        Lines = lines;
        _compressed = compressed;
        CompressedLength = compressedLength;
    }

    /// <summary>The uncompressed lines (whole lines, each ending in '\n').</summary>
    public ReadOnlyMemory<byte> Lines { get; }

    /// <summary>The gzip form, or empty when the store is written uncompressed.</summary>
    public ReadOnlyMemory<byte> Compressed => _compressed is null ? default : _compressed.AsMemory(0, CompressedLength);

    public bool IsCompressed => _compressed is not null;

    private int CompressedLength { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _compressed, null) is { } rented) ArrayPool<byte>.Shared.Return(rented);
    }
}
