using Gateway.Core.Buffers;

namespace Gateway.Ingest.Store;

/// <summary>
/// Lines made ready for one or more attempts at writing them (<see cref="StoreWriter.Prepare"/>): the lines themselves
/// and, when the store takes gzip, their compressed form in a pooled buffer. Preparing is separate from writing so that
/// the ingest can compress the next batch while earlier writes are in flight instead of inside a write slot.
/// Ownership: the lines are borrowed (valid as long as the batch that holds them); the compressed buffer is this
/// object's and goes back to the pool on <see cref="Dispose"/>.
/// </summary>
public sealed class StoreBody : IDisposable
{
    private PooledBufferWriter? _compressed;

    internal StoreBody(ReadOnlyMemory<byte> lines, PooledBufferWriter? compressed)
    {
        Lines = lines;
        _compressed = compressed;
        IsCompressed = compressed is not null;
    }

    /// <summary>The uncompressed lines (whole lines, each ending in '\n').</summary>
    public ReadOnlyMemory<byte> Lines { get; }

    /// <summary>The gzip form (empty when the store is written uncompressed); valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Compressed => _compressed?.WrittenMemory ?? default;

    public bool IsCompressed { get; }

    public void Dispose() => Interlocked.Exchange(ref _compressed, null)?.Dispose();
}
