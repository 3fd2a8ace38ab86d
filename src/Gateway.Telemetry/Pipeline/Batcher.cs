using System.Buffers;
using System.Threading.Channels;
using Gateway.Telemetry.Encoding;
using Gateway.Telemetry.Readings;

namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// Reads readings from the pipeline, encodes them into line protocol and hands over a batch when it holds
/// <see cref="BatcherOptions.MaxReadings"/> readings, when the next line would take it past
/// <see cref="BatcherOptions.MaxBytes"/>, or when <see cref="BatcherOptions.MaxDelay"/> has passed since its first
/// reading (measured on the injected <see cref="TimeProvider"/>). When the input completes it hands over the last
/// partial batch and returns.
/// </summary>
/// <remarks>
/// Ownership: each <see cref="EncodedBatch"/> passed to the output delegate belongs to the delegate from the moment
/// of the call, even if the delegate throws; it must dispose the batch (typically after the journal has copied it).
/// Encoding reuses two pooled buffers, so the steady state allocates per batch, never per reading. Cancelling
/// abandons the partial batch (its readings are lost); to stop without loss, complete the pipeline and let
/// <see cref="RunAsync"/> return. An exception from the output delegate ends the run.
/// </remarks>
public sealed class Batcher
{
    private readonly ChannelReader<Reading> _input;
    private readonly ReadingEncoder _encoder;
    private readonly BatcherOptions _options;
    private readonly TimeProvider _time;
    private int _started;

    public Batcher(ChannelReader<Reading> input, ReadingEncoder encoder, BatcherOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _input = input;
        _encoder = encoder;
        _options = options;
        _time = time;
    }

    /// <summary>Runs until the input completes (after a final flush) or <paramref name="cancellationToken"/> fires. Call once.</summary>
    public async Task RunAsync(Func<EncodedBatch, CancellationToken, ValueTask> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("A batcher runs once; create another for another run.");
        using var batch = new PooledBufferWriter(_options.MaxBytes);
        using var line = new PooledBufferWriter();
        int count = 0;
        long batchStart = 0;
        long now = 0;
        while (true)
        {
            var wake = count == 0
                ? (await _input.WaitToReadAsync(cancellationToken).ConfigureAwait(false) ? Wake.Data : Wake.Completed)
                : await WaitForDataOrDeadlineAsync(batchStart, cancellationToken).ConfigureAwait(false);
            if (wake == Wake.Completed)
            {
                if (count > 0) await output(EncodedBatch.Copy(batch.WrittenSpan, count), cancellationToken).ConfigureAwait(false);
                return;
            }
            // Taken before TryRead, so a batch's start is never later than the moment its first reading left the queue.
            now = _time.GetTimestamp();
            if (wake == Wake.Deadline || count > 0 && _time.GetElapsedTime(batchStart) >= _options.MaxDelay)
            {
                await FlushAsync().ConfigureAwait(false);
            }
            while (_input.TryRead(out var reading))
            {
                line.Reset();
                _encoder.Encode(reading, line);
                if (line.WrittenCount == 0) continue; // nothing writable; the encoder counted it
                if (count > 0 && batch.WrittenCount + line.WrittenCount > _options.MaxBytes) await FlushAsync().ConfigureAwait(false);
                if (count == 0) batchStart = now;
                batch.Write(line.WrittenSpan);
                count++;
                if (count >= _options.MaxReadings || batch.WrittenCount >= _options.MaxBytes || _time.GetElapsedTime(batchStart) >= _options.MaxDelay)
                    await FlushAsync().ConfigureAwait(false);
            }
        }

        async ValueTask FlushAsync()
        {
            var encoded = EncodedBatch.Copy(batch.WrittenSpan, count);
            batch.Reset();
            count = 0;
            await output(encoded, cancellationToken).ConfigureAwait(false);
            now = _time.GetTimestamp();
        }
    }

    private enum Wake : byte
    {
        Data,
        Deadline,
        Completed,
    }

    /// <summary>Waits for more readings, but no longer than the partial batch's deadline.</summary>
    private async ValueTask<Wake> WaitForDataOrDeadlineAsync(long batchStart, CancellationToken cancellationToken)
    {
        var remaining = _options.MaxDelay - _time.GetElapsedTime(batchStart);
        if (remaining <= TimeSpan.Zero) return Wake.Deadline;
        using var timeout = new CancellationTokenSource(remaining, _time);
        // The clock may have moved while the timer was being created, making it late; look once more.
        if (_time.GetElapsedTime(batchStart) >= _options.MaxDelay) return Wake.Deadline;
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
}
