using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Gateway.Devices.Pacing;

/// <summary>
/// <see cref="PeriodicTimer"/>'s contract (one waiter at a time; ticks that fall while nobody waits coalesce into one;
/// no allocation per tick; <see cref="Dispose"/> ends a pending wait with false) plus a period that can change while a
/// wait is pending. <see cref="PeriodicTimer.Period"/> cannot do that: it restarts the period from the moment of the
/// change, so a 30 s interval shortened to 10 s twenty-nine seconds in would wait ten more seconds instead of ticking
/// now. Here the new period is measured from the previous tick. Made by <see cref="SamplePace.Start"/>.
/// </summary>
/// <remarks>
/// The waiting half follows PeriodicTimer's implementation (dotnet/runtime, System.Threading.PeriodicTimer.State).
/// A change replaces the underlying <see cref="ITimer"/>: a tick of the old one that was already on its way when it
/// was disposed carries the old <see cref="Arming"/> and is ignored.
/// </remarks>
internal sealed class PaceTimer : IValueTaskSource<bool>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly SamplePace? _owner;
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _registration;
    private ITimer _timer;
    private Arming _arming;
    private TimeSpan _period;
    private TimeSpan _lastTick;
    private bool _signaled;
    private bool _waiting;
    private bool _stopped;

    internal PaceTimer(TimeSpan period, TimeProvider time, SamplePace? owner)
    {
        _time = time;
        _owner = owner;
        _origin = time.GetTimestamp();
        _period = period;
        _arming = new Arming(this);
        _timer = Arm(_arming, period, period);
    }

    /// <summary>A free-standing timer (no <see cref="SamplePace"/>); <see cref="Change"/> re-times it.</summary>
    public PaceTimer(TimeSpan period, TimeProvider time)
        : this(period, time, null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
    }

    /// <summary>The current period: the last one given to <see cref="Change"/>, else the one it was made with.</summary>
    public TimeSpan Period
    {
        get
        {
            lock (_gate) return _period;
        }
    }

    /// <summary>True at the next tick, false once disposed; one caller at a time.</summary>
    public ValueTask<bool> WaitForNextTickAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_waiting) throw new InvalidOperationException("A PaceTimer has one waiter at a time.");
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
            if (_signaled)
            {
                if (!_stopped) _signaled = false;
                return new ValueTask<bool>(!_stopped);
            }
            _waiting = true;
            _core.Reset();
            // A token cancelled just now runs the callback here, re-entering _gate (Lock is recursive): the wait then
            // completes cancelled before it is returned.
            if (cancellationToken.CanBeCanceled)
                _registration = cancellationToken.UnsafeRegister(static (s, ct) => ((PaceTimer)s!).Signal(ct), this);
            return new ValueTask<bool>(this, _core.Version);
        }
    }

    /// <summary>
    /// Ticks every <paramref name="period"/> from now on, the first one a period after the previous tick (or the start),
    /// or at once when that moment has passed.
    /// </summary>
    public void Change(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var now = false;
        lock (_gate)
        {
            if (_stopped) return;
            _period = period;
            var elapsed = _time.GetElapsedTime(_origin);
            var due = _lastTick + period - elapsed;
            if (due <= TimeSpan.Zero)
            {
                _lastTick = elapsed;
                due = period;
                now = true;
            }
            _timer.Dispose();
            _arming = new Arming(this);
            _timer = Arm(_arming, due, period);
        }
        // Not inline: the caller (set-rate, on the MQTT thread) may hold the source's locks, and must not run a sample.
        if (now) Signal(inline: false);
    }

    /// <summary>Stops the timer; a pending or later wait returns false. Safe to call twice.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped) return;
            // Stopped under the lock, so a concurrent Change cannot arm a new timer that nobody disposes.
            _stopped = true;
            _timer.Dispose();
        }
        _owner?.Forget(this);
        Signal(stopping: true);
    }

    private ITimer Arm(Arming arming, TimeSpan due, TimeSpan period)
    {
        // The timer must not hold on to the execution context of whoever armed it (the MQTT thread, for a change).
        if (ExecutionContext.IsFlowSuppressed()) return _time.CreateTimer(static s => ((Arming)s!).Tick(), arming, due, period);
        using (ExecutionContext.SuppressFlow())
            return _time.CreateTimer(static s => ((Arming)s!).Tick(), arming, due, period);
    }

    private void OnTick(Arming arming)
    {
        lock (_gate)
        {
            if (_stopped || !ReferenceEquals(arming, _arming)) return;
            _lastTick = _time.GetElapsedTime(_origin);
        }
        Signal();
    }

    /// <param name="cancellationToken">Set when a waiter's token fired: the wait completes cancelled.</param>
    /// <param name="stopping">Set by <see cref="Dispose"/>: the wait, and every later one, returns false.</param>
    /// <param name="inline">
    /// Whether the waiter's continuation may run on this thread, as PeriodicTimer's does for its ticks (a timer thread,
    /// or the test thread that advances a manual clock, which keeps such tests deterministic).
    /// </param>
    private void Signal(CancellationToken cancellationToken = default, bool stopping = false, bool inline = true)
    {
        var complete = false;
        lock (_gate)
        {
            _stopped |= stopping;
            if (!_signaled)
            {
                _signaled = true;
                complete = _waiting;
            }
        }
        if (!complete) return;
        // Only the one thread that flipped _signaled completes this wait, so it alone reads the flag.
        _core.RunContinuationsAsynchronously = !inline;
        if (cancellationToken.IsCancellationRequested)
            _core.SetException(ExceptionDispatchInfo.SetCurrentStackTrace(new OperationCanceledException(cancellationToken)));
        else
            _core.SetResult(true);
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        // Disposed outside the lock: it waits for a running cancellation callback, which takes the lock.
        _registration.Dispose();
        lock (_gate)
        {
            try
            {
                _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                _registration = default;
                _waiting = false;
                if (!_stopped) _signaled = false;
            }
            return !_stopped;
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>The identity of one arming of the underlying timer.</summary>
    private sealed class Arming(PaceTimer owner)
    {
        public void Tick() => owner.OnTick(this);
    }
}
