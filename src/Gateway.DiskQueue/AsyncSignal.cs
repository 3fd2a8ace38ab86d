namespace Gateway.DiskQueue;

/// <summary>
/// An auto-reset signal with an async wait: <see cref="Set"/> releases the current or next waiter. Used so the
/// publisher sleeps while the journal is drained and wakes on the next append, without polling.
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }
        waiter?.TrySetResult();
    }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(_waiter.Task.WaitAsync(cancellationToken));
        }
    }
}
