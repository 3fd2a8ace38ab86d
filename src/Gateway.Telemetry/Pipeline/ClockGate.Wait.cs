using Gateway.Telemetry.Readings;

namespace Gateway.Telemetry.Pipeline;

public sealed partial class ClockGate
{
    /// <summary>
    /// True when a reading can be read, false when the input has completed and nothing is held. With readings held it
    /// also wakes when the clock synchronises and when the oldest held reading reaches its age limit.
    /// </summary>
    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        // Nothing held: whatever comes from the input can be read (or held by TryRead), so the input's own wait is exact.
        if (_held.Count == 0) return _input.WaitToReadAsync(cancellationToken);
        return WaitWhileHoldingAsync(cancellationToken);
    }

    private async ValueTask<bool> WaitWhileHoldingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_held.Count == 0) return await _input.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            if (_clock.IsSynchronized || IsInputCompleted()) return true;
            var remaining = _options.MaxAge - Age(_held.Peek());
            if (remaining <= TimeSpan.Zero) return true;

            using var timeout = new CancellationTokenSource(remaining, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var input = _input.WaitToReadAsync(linked.Token).AsTask();
            var first = await Task.WhenAny(input, _clock.WhenSynchronized).ConfigureAwait(false);
            if (first != input) await linked.CancelAsync().ConfigureAwait(false);
            bool more;
            try
            {
                more = await input.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue; // the age limit or the sync: look again
            }
            // Data, or the input completed (then the held readings are released): either way TryRead has work.
            if (!more) _inputCompleted = true;
            return true;
        }
    }
}
