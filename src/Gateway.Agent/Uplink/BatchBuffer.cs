using Gateway.Telemetry.Pipeline;

namespace Gateway.Agent.Uplink;

/// <summary>
/// Encoded batches waiting for the broker, bounded in bytes. When the bound is reached the oldest waiting batch is
/// dropped and counted, because during a long outage the newest readings are worth more to logistics staff than the
/// oldest. This buffer lives in memory; the durable journal (Gateway.DiskQueue) takes its place so that an outage
/// survives a power cut.
/// </summary>
public sealed class BatchBuffer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<EncodedBatch> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly long _maxBytes;
    private long _bytes;
    private long _droppedBatches;
    private long _droppedReadings;
    private bool _completed;
    private bool _dropEpisodeOver;

    public BatchBuffer(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxBytes = maxBytes;
    }

    public long Bytes { get { lock (_gate) return _bytes; } }
    public int Count { get { lock (_gate) return _queue.Count; } }
    public long DroppedBatches => Interlocked.Read(ref _droppedBatches);
    public long DroppedReadings => Interlocked.Read(ref _droppedReadings);

    /// <summary>Raised (outside the lock) when a drop episode starts, so the agent logs once per episode, not per batch.</summary>
    public event Action<long>? DropEpisodeStarted;

    /// <summary>Adds a batch; the buffer owns it from here and disposes it when it is dropped.</summary>
    public void Add(EncodedBatch batch)
    {
        List<EncodedBatch>? dropped = null;
        var episodeStarted = false;
        lock (_gate)
        {
            if (_completed)
            {
                batch.Dispose();
                throw new InvalidOperationException("The batch buffer is completed; the agent is stopping.");
            }
            while (_queue.Count > 0 && _bytes + batch.Payload.Length > _maxBytes)
            {
                var old = _queue.Dequeue();
                _bytes -= old.Payload.Length;
                episodeStarted |= Interlocked.Read(ref _droppedBatches) == 0 || _dropEpisodeOver;
                _dropEpisodeOver = false;
                Interlocked.Increment(ref _droppedBatches);
                Interlocked.Add(ref _droppedReadings, old.ReadingCount);
                (dropped ??= []).Add(old);
            }
            _queue.Enqueue(batch);
            _bytes += batch.Payload.Length;
        }
        _available.Release();
        if (dropped is null) return;
        foreach (var d in dropped) d.Dispose();
        if (episodeStarted) DropEpisodeStarted?.Invoke(DroppedReadings);
    }

    /// <summary>
    /// Takes the oldest batch, waiting until there is one. Returns null once the buffer is completed and empty.
    /// The caller owns the returned batch and disposes it.
    /// </summary>
    public async ValueTask<EncodedBatch?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.TryDequeue(out var batch))
                {
                    _bytes -= batch.Payload.Length;
                    // The buffer has room again: the next drop, if any, is a new episode worth one log line.
                    if (_bytes < _maxBytes / 2) _dropEpisodeOver = true;
                    return batch;
                }
                if (_completed)
                {
                    _available.Release(); // keep the end visible to any later call
                    return null;
                }
            }
        }
    }

    /// <summary>No more batches will be added; <see cref="TakeAsync"/> returns null when the rest is taken.</summary>
    public void Complete()
    {
        lock (_gate) _completed = true;
        _available.Release();
    }

    /// <summary>Disposes the batches still waiting (their buffers go back to the pool).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            while (_queue.TryDequeue(out var batch)) batch.Dispose();
            _bytes = 0;
        }
        _available.Dispose();
    }
}
