namespace Gateway.Mqtt.Session;

/// <summary>
/// The QoS 1/2 send quota of one connection (MQTT 5.0 section 4.9): at most <see cref="Limit"/> PUBLISH packets
/// unacknowledged [MQTT-4.9.0-1]. The quota starts full on every connection ([MQTT-4.9.0-3]: not carried over), one
/// slot is taken per QoS &gt; 0 PUBLISH written and given back by its PUBACK, PUBCOMP or failing PUBREC ([MQTT-4.9.0-2]).
/// One acquirer (the send loop) waits asynchronously; any thread releases.
/// </summary>
internal sealed class SendWindow(int limit)
{
    private readonly Lock _gate = new();
    private int _used;
    private TaskCompletionSource? _waiter;

    // While the receive loop works through one read's packets, released slots are collected and the send loop is
    // woken once at the end: one wake-up (thread-pool hop) and one write of many PUBLISH packets per burst of PUBACKs,
    // instead of one per PUBACK.
    private bool _deferWake;
    private bool _wakePending;

    public int Limit { get; } = limit;

    public int Used
    {
        get { lock (_gate) return _used; }
    }

    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_used >= Limit) return false;
            _used++;
            return true;
        }
    }

    public async ValueTask AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_used < Limit)
                {
                    _used++;
                    return;
                }
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public void Release()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_used > 0) _used--;
            if (_deferWake)
            {
                _wakePending |= _waiter is not null;
                return;
            }
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>Releases from now on only count; the waiter is woken by <see cref="EndDeferWake"/>. Receive loop only.</summary>
    public void BeginDeferWake()
    {
        lock (_gate) _deferWake = true;
    }

    /// <summary>Wakes the waiter once if a slot was released since <see cref="BeginDeferWake"/>.</summary>
    public void EndDeferWake()
    {
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            _deferWake = false;
            if (_wakePending)
            {
                waiter = _waiter;
                _waiter = null;
                _wakePending = false;
            }
        }
        waiter?.TrySetResult();
    }
}
