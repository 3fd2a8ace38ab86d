using System.Buffers;
using System.Threading.Channels;
using Gateway.DiskQueue;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Core.Buffers;
using Gateway.Core.Counters;

namespace Gateway.Agent.Uplink;

/// <summary>
/// The stage between the pipeline and the journal: takes readings, encodes each as a line of line protocol into one
/// reused batch buffer, and appends the batch to the journal's telemetry lane when it holds
/// <see cref="BatcherOptions.MaxReadings"/> readings or <see cref="BatcherOptions.MaxBytes"/> bytes, or when
/// <see cref="BatcherOptions.MaxDelay"/> has passed since its first reading. One append is one group commit: the
/// journal writes (and, per its fsync policy, syncs) a batch at a time, never a reading at a time.
/// </summary>
/// <remarks>
/// Allocation: the steady state (readings waiting) allocates nothing per reading and nothing per batch: the encoder
/// writes into pooled buffers and the journal copies the batch into its own reused frame buffer
/// (tests/Gateway.Benchmarks/Pipeline measures it). Only waiting on an empty pipeline with a partial batch creates a
/// deadline timer. Not thread-safe: one runner.
/// Determinism: a batch is encoded once, and the journal keeps its bytes; a re-send after a crash publishes the very
/// same points, which the store overwrites (DESIGN §2).
/// </remarks>
public sealed class JournalBatcher : IDisposable
{
    private readonly ChannelReader<Reading> _input;
    private readonly ReadingEncoder _encoder;
    private readonly Journal _journal;
    private readonly BatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly CounterCheckpoint? _checkpoint;
    private readonly PooledBufferWriter _batch;
    private int _count;
    private long _batchStart;
    private readonly AtomicCounter _appendedBatches = new();
    private readonly AtomicCounter _appendedReadings = new();
    private readonly AtomicCounter _refusedReadings = new();

    public JournalBatcher(ChannelReader<Reading> input, ReadingEncoder encoder, Journal journal, BatcherOptions options, TimeProvider time, CounterCheckpoint? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _input = input;
        _encoder = encoder;
        _journal = journal;
        _options = options;
        _time = time;
        _checkpoint = checkpoint;
        _batch = new PooledBufferWriter(options.MaxBytes);
    }

    public long AppendedBatches => _appendedBatches.Value;
    public long AppendedReadings => _appendedReadings.Value;

    /// <summary>Readings in batches the journal refused (counted there as drops too).</summary>
    public long RefusedReadings => _refusedReadings.Value;

    /// <summary>Runs until the input completes, then appends the last partial batch. Cancelling abandons the partial batch.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_count == 0)
            {
                if (!await _input.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) break;
            }
            else
            {
                var wake = await WaitForDataOrDeadlineAsync(cancellationToken).ConfigureAwait(false);
                if (wake == Wake.Completed) break;
                if (wake == Wake.Deadline)
                {
                    Flush();
                    continue;
                }
            }
            DrainAvailable();
            if (_count > 0 && _time.GetElapsedTime(_batchStart) >= _options.MaxDelay) Flush();
        }
        Flush();
    }

    /// <summary>
    /// Takes every reading available now without waiting, appending each batch that fills. Returns the number taken.
    /// <see cref="RunAsync"/> calls it; the benchmark calls it directly to measure the synchronous path.
    /// </summary>
    public int DrainAvailable()
    {
        var taken = 0;
        while (_input.TryRead(out var reading))
        {
            Add(in reading);
            taken++;
        }
        return taken;
    }

    /// <summary>Appends the partial batch, if any, to the journal now.</summary>
    public void Flush()
    {
        if (_count == 0) return;
        Append(_batch.WrittenSpan);
        _batch.Reset();
    }

    private void Add(in Reading reading)
    {
        // The line is encoded straight into the batch (no per-line buffer, one copy fewer per reading); the encoder
        // writes a whole line or nothing.
        int before = _batch.WrittenCount;
        _encoder.Encode(reading, _batch);
        if (_batch.WrittenCount == before) return; // nothing writable; the encoder counted it
        if (_count > 0 && _batch.WrittenCount > _options.MaxBytes)
        {
            // The new line does not fit: the batch before it goes alone, and the line starts the next one.
            Append(_batch.WrittenSpan[..before]);
            _batch.DropFront(before);
        }
        if (_count == 0) _batchStart = _time.GetTimestamp();
        _count++;
        _checkpoint?.Observe(in reading);
        if (_count >= _options.MaxReadings || _batch.WrittenCount >= _options.MaxBytes) Flush();
    }

    private void Append(ReadOnlySpan<byte> batch)
    {
        if (_journal.Append(JournalLane.Telemetry, batch, _count))
        {
            _appendedBatches.Increment();
            _appendedReadings.Add(_count);
        }
        else
        {
            _refusedReadings.Add(_count);
        }
        // After the append: a restart continues counters after what the journal holds (see CounterCheckpoint).
        _checkpoint?.Commit();
        _count = 0;
    }

    private enum Wake : byte
    {
        Data,
        Deadline,
        Completed,
    }

    private async ValueTask<Wake> WaitForDataOrDeadlineAsync(CancellationToken cancellationToken)
    {
        var remaining = _options.MaxDelay - _time.GetElapsedTime(_batchStart);
        if (remaining <= TimeSpan.Zero) return Wake.Deadline;
        using var timeout = new CancellationTokenSource(remaining, _time);
        // The clock may have moved while the timer was being created, making it late; look once more.
        if (_time.GetElapsedTime(_batchStart) >= _options.MaxDelay) return Wake.Deadline;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _input.WaitToReadAsync(linked.Token).ConfigureAwait(false) ? Wake.Data : Wake.Completed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Wake.Deadline;
        }
    }

    public void Dispose()
    {
        _batch.Dispose();
    }
}
