namespace Gateway.Mqtt.Session;

/// <summary>
/// Payload bytes of one connection's messages that the application holds unacknowledged (manual-ack mode), bounded by
/// <see cref="MqttClientOptions.InboundMaxBytes"/>. The receive loop takes a message's bytes before delivering it and
/// waits while that would pass the bound, so the socket is not read and TCP holds the broker back: memory is bounded by
/// bytes, not by a message count that a few large messages can turn into gigabytes (issue 12 item 6). One message larger
/// than the bound still goes through when nothing else is held, so a bound below the largest message cannot stall.
/// Only the receive loop waits; acknowledgements release.
/// </summary>
internal sealed class InboundBudget(long maxBytes)
{
    private readonly Lock _lock = new();
    private long _held;
    private TaskCompletionSource? _room;

    public long Held
    {
        get { lock (_lock) return _held; }
    }

    /// <summary>Takes <paramref name="bytes"/>; completes at once while there is room, else when acknowledgements make some.</summary>
    public ValueTask TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        var wait = TryTake(bytes);
        return wait is null ? default : WaitAndTakeAsync(wait, bytes, cancellationToken);
    }

    public void Release(long bytes)
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _held -= bytes;
            (room, _room) = (_room, null);
        }
        room?.TrySetResult();
    }

    /// <summary>Null when taken, or the task that completes at the next release.</summary>
    private Task? TryTake(long bytes)
    {
        lock (_lock)
        {
            if (_held == 0 || _held + bytes <= maxBytes)
            {
                _held += bytes;
                return null;
            }
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task;
        }
    }

    private async ValueTask WaitAndTakeAsync(Task wait, long bytes, CancellationToken cancellationToken)
    {
        for (Task? next = wait; next is not null; next = TryTake(bytes))
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
